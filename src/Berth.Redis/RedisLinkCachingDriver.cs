using System.Diagnostics;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;

namespace Berth.Redis;

/// <summary>
/// Serves the reads of links and blob sizes from Redis (<see cref="CachedPaths"/>), so a pull by tag costs two Redis
/// round trips instead of two object-store requests, and makes every write or delete of those paths visible to
/// every node before it is acknowledged (the argument is on <see cref="RedisLinkCache"/>). Everything else passes
/// through untouched.
/// </summary>
/// <remarks>
/// It is the outermost driver decorator, above metrics and tracing: those then count what reaches the object store,
/// not cache hits. Garbage collection deletes through it too when Redis is configured, so a collected blob is gone on
/// every node at once (registry:2's stale blob descriptors after GC, distribution#3743, cannot happen).
/// </remarks>
/// <param name="counter">
/// Counts each lookup in Redis a hit or a miss, with metrics on. A tombstone is a miss (storage is read), and so is a
/// failed lookup, as registry:2 counts a cache error; the request then fails instead of falling back to storage.
/// </param>
public sealed class RedisLinkCachingDriver(IStorageDriver inner, RedisConnection redis, CacheCounter? counter = null) : IStorageDriver
{
    private readonly RedisLinkCache _cache = new(redis.Database, counter);

    public async Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var kind = CachedPaths.Classify(path);
        if (kind == CachedKind.None)
        {
            return await inner.StatAsync(path, cancellationToken);
        }

        var missedAt = Stopwatch.GetTimestamp();
        var cached = await _cache.GetAsync(path);
        if (RedisLinkCache.IsHit(cached))
        {
            return RedisLinkCache.IsAbsent(cached) ? null
                : kind == CachedKind.Link ? File(path, RedisLinkCache.Content(cached)?.Length)
                : File(path, RedisLinkCache.Size(cached));
        }

        if (kind == CachedKind.Link)
        {
            // A link's value is its content: read it, so the entry serves reads as well as stats.
            var content = await ReadLinkAsync(path, cached, missedAt, cancellationToken);
            return content is null ? await inner.StatAsync(path, cancellationToken) : File(path, content.Length);
        }

        var entry = await inner.StatAsync(path, cancellationToken);
        if (cached.IsNull && entry is not { IsDirectory: true })
        {
            _cache.Populate(path, entry is null ? RedisLinkCache.ForAbsence() : RedisLinkCache.ForSize(entry.Size), missedAt);
        }

        return entry;
    }

    public async Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (CachedPaths.Classify(path) != CachedKind.Link)
        {
            return await inner.ReadAllAsync(path, cancellationToken);
        }

        var missedAt = Stopwatch.GetTimestamp();
        var cached = await _cache.GetAsync(path);
        if (RedisLinkCache.IsHit(cached))
        {
            return RedisLinkCache.Content(cached);
        }

        return await ReadLinkAsync(path, cached, missedAt, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) =>
        inner.OpenReadAsync(path, offset, cancellationToken);

    public async Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (CachedPaths.Classify(path) == CachedKind.None)
        {
            await inner.WriteAllAsync(path, content, cancellationToken);
            return;
        }

        StoragePath[] paths = [path];
        await _cache.MarkPendingAsync(paths);
        try
        {
            await inner.WriteAllAsync(path, content, cancellationToken);
        }
        finally
        {
            await _cache.MarkSettledAsync(paths);
        }
    }

    public async Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken)
    {
        if (CachedPaths.Classify(path) == CachedKind.None)
        {
            return await inner.OpenWriteAsync(path, append, cancellationToken);
        }

        StoragePath[] paths = [path];
        await _cache.MarkPendingAsync(paths);
        return new SettlingWriter(await inner.OpenWriteAsync(path, append, cancellationToken), _cache, paths);
    }

    public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) =>
        inner.ListAsync(directory, cancellationToken);

    public async Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var paths = new[] { source, destination }.Where(p => CachedPaths.Classify(p) != CachedKind.None).ToList();
        await _cache.MarkPendingAsync(paths);
        try
        {
            await inner.MoveAsync(source, destination, cancellationToken);
        }
        finally
        {
            await _cache.MarkSettledAsync(paths);
        }
    }

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var paths = CachedPaths.KnownBelow(path) ?? await CachedBelowAsync(path, cancellationToken);
        await _cache.MarkPendingAsync(paths);
        try
        {
            await inner.DeleteAsync(path, cancellationToken);
        }
        finally
        {
            await _cache.MarkSettledAsync(paths);
        }
    }

    public string? LocalPath(StoragePath path) => inner.LocalPath(path);

    public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => inner.ReadUrlAsync(path, cancellationToken);

    /// <summary>Reads a link from storage after a miss or a tombstone, and populates after a miss only.</summary>
    private async Task<byte[]?> ReadLinkAsync(StoragePath path, StackExchange.Redis.RedisValue cached, long missedAt, CancellationToken cancellationToken)
    {
        var content = await inner.ReadAllAsync(path, cancellationToken);
        if (cached.IsNull)
        {
            _cache.Populate(path, RedisLinkCache.ForContent(content), missedAt);
        }

        return content;
    }

    /// <summary>Lists a folder of unknown shape (a whole repository, say) for the cached paths its delete removes.</summary>
    private async Task<IReadOnlyList<StoragePath>> CachedBelowAsync(StoragePath folder, CancellationToken cancellationToken)
    {
        var found = new List<StoragePath>();
        await CollectAsync(folder, found, cancellationToken);
        return found;
    }

    private async Task CollectAsync(StoragePath folder, List<StoragePath> found, CancellationToken cancellationToken)
    {
        await foreach (var entry in inner.ListAsync(folder, cancellationToken))
        {
            if (!entry.IsDirectory && CachedPaths.Classify(entry.Path) != CachedKind.None)
            {
                found.Add(entry.Path);
            }
            else if (entry.IsDirectory && CachedPaths.MayHoldCached(entry.Path))
            {
                await CollectAsync(entry.Path, found, cancellationToken);
            }
        }
    }

    /// <summary>Cached entries carry no modification time: nothing reads it of a link or of blob content.</summary>
    private static StorageEntry? File(StoragePath path, long? size) => size is { } known ? new StorageEntry(path, false, known, DateTimeOffset.MinValue) : null;

    /// <summary>Settles the tombstone once the writer's content is published (or abandoned).</summary>
    private sealed class SettlingWriter(IStorageWriter inner, RedisLinkCache cache, IReadOnlyList<StoragePath> paths) : IStorageWriter
    {
        public long Size => inner.Size;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) => inner.WriteAsync(buffer, cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync();
            }
            finally
            {
                await cache.MarkSettledAsync(paths);
            }
        }
    }
}
