using System.Collections;
using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// A list of digests kept as <see cref="DigestKey"/>s and shown as <see cref="Digest"/>s one at a time: the blobs a
/// collection deleted, which on a large store are tens of thousands.
/// </summary>
internal sealed class DigestKeyList(IReadOnlyList<DigestKey> keys) : IReadOnlyList<Digest>
{
    public Digest this[int index] => keys[index].ToDigest();

    public int Count => keys.Count;

    public IEnumerator<Digest> GetEnumerator() => keys.Select(key => key.ToDigest()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
