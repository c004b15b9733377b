using System.Runtime.InteropServices;
using Berth.Core;
using Berth.Storage.Gc;

namespace Berth.Storage.Usage;

/// <summary>
/// The mark phase's record of every blob in use, which is also how storage used per repository is counted: one entry
/// per distinct blob (its size, the first and the last repository that referenced it) and one total per repository.
/// Nothing is kept per repository and blob, so memory grows with the number of blobs, as the marked set alone did.
/// </summary>
/// <remarks>
/// The mark walks repositories one after another and never returns to one, which is what makes the count exact:
/// <list type="bullet">
/// <item>a repository's total adds a blob's size the first time that repository references it (its last repository is
/// then set to it, so a second reference from the same repository finds itself there and adds nothing);</item>
/// <item>a blob whose first and last repositories are the same was referenced by that one repository alone: its size is
/// that repository's unique bytes;</item>
/// <item>a repository's shared bytes are its total less its unique bytes.</item>
/// </list>
/// </remarks>
internal sealed class UsageTally
{
    private readonly Dictionary<DigestKey, BlobUse> _blobs = [];
    private readonly List<RepositoryName> _repositories = [];
    private readonly List<long> _totals = [];

    /// <summary>Distinct blobs in use so far.</summary>
    public int Count => _blobs.Count;

    /// <summary>Starts the next repository: every <see cref="Add"/> until the next call counts for it.</summary>
    public void StartRepository(RepositoryName name)
    {
        _repositories.Add(name);
        _totals.Add(0);
    }

    /// <summary>The current repository references <paramref name="blob"/> of <paramref name="size"/> bytes.</summary>
    /// <param name="size">The first size given for a blob is kept; descriptors naming one blob agree on it.</param>
    public void Add(DigestKey blob, long size)
    {
        var current = _repositories.Count - 1;
        if (current < 0)
        {
            throw new InvalidOperationException("a blob was marked before any repository was started");
        }

        ref var use = ref CollectionsMarshal.GetValueRefOrAddDefault(_blobs, blob, out var seen);
        if (!seen)
        {
            use = new BlobUse(Math.Max(size, 0), current, current);
        }
        else if (use.Last == current)
        {
            return;
        }
        else
        {
            use.Last = current;
        }

        _totals[current] += use.Size;
    }

    public bool Contains(Digest digest) => _blobs.ContainsKey(DigestKey.From(digest));

    /// <summary>Every blob in use, as digests (made one by one: for reports and tests, not for the sweep).</summary>
    public IEnumerable<Digest> Digests => _blobs.Keys.Select(key => key.ToDigest());

    /// <summary>The figures of everything added so far.</summary>
    public StorageUsage Snapshot(DateTimeOffset computedAt)
    {
        var unique = new long[_repositories.Count];
        var inUse = 0L;
        foreach (var use in _blobs.Values)
        {
            inUse += use.Size;
            if (use.First == use.Last)
            {
                unique[use.First] += use.Size;
            }
        }

        return new StorageUsage(computedAt, inUse, _blobs.Count,
            _repositories.Select((name, i) => new RepositoryUsage(name, unique[i], _totals[i] - unique[i])));
    }

    /// <summary>16 bytes per blob; the indexes are into the repositories in the order they were started.</summary>
    private struct BlobUse(long size, int first, int last)
    {
        public readonly long Size = size;
        public readonly int First = first;
        public int Last = last;
    }
}
