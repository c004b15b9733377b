namespace Berth.Storage.BlobCache;

/// <summary><c>storage.cache.blobs</c>: where this node keeps its copies of blobs, and how many bytes of them.</summary>
public sealed record NodeBlobCacheOptions
{
    public const long DefaultMaxBytes = 10L << 30;

    /// <summary>A folder on this node's own disk, never shared with another node.</summary>
    public required string Directory { get; init; }

    /// <summary>Past this, the least recently served copies are removed.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Copies made at once; the rest wait, each pull served from the store meanwhile.</summary>
    public int ConcurrentFills { get; init; } = 4;

    /// <summary>
    /// Copies running or waiting, at most: past it a pull starts none (the next pull of that blob tries again), so a
    /// burst of pulls of many blobs cannot queue unbounded work.
    /// </summary>
    public int MaxPendingFills { get; init; } = 64;
}
