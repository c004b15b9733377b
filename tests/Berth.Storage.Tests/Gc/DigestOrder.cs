using Berth.Core;

namespace Berth.Storage.Tests.Gc;

/// <summary>Digests in the order the collector reports them: by their text.</summary>
internal sealed class DigestOrder : IComparer<Digest>
{
    public static DigestOrder Instance { get; } = new();

    public int Compare(Digest x, Digest y) => string.CompareOrdinal(x.ToString(), y.ToString());
}
