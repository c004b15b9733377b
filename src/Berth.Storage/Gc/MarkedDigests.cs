using System.Collections;
using Berth.Core;
using Berth.Storage.Usage;

namespace Berth.Storage.Gc;

/// <summary>
/// The marked set as <see cref="GarbageCollectionResult.Marked"/> shows it, read from the mark's
/// <see cref="UsageTally"/> instead of copied into a set of digests, which would hold every blob's strings again.
/// Lookups are the tally's; the set comparisons (for tests and tools) build a set of digests first.
/// </summary>
internal sealed class MarkedDigests(UsageTally tally) : IReadOnlySet<Digest>
{
    public int Count => tally.Count;

    public bool Contains(Digest item) => tally.Contains(item);

    public IEnumerator<Digest> GetEnumerator() => tally.Digests.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool IsProperSubsetOf(IEnumerable<Digest> other) => Copy().IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<Digest> other) => Copy().IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<Digest> other) => Copy().IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<Digest> other) => other.All(Contains);

    public bool Overlaps(IEnumerable<Digest> other) => other.Any(Contains);

    public bool SetEquals(IEnumerable<Digest> other) => Copy().SetEquals(other);

    private HashSet<Digest> Copy() => [.. this];
}
