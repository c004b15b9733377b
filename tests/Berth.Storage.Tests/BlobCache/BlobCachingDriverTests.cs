using Berth.Core;
using Berth.Storage.BlobCache;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Helpers;
using Berth.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Berth.Storage.Tests.BlobCache;

/// <summary>
/// The node's blob copies over an in-memory store: a copy is made after the first read, checked against its digest,
/// served from disk afterwards, dropped when the blob is deleted through the node, kept across a restart, and the least
/// recently served copies go past the size limit.
/// </summary>
public sealed class BlobCachingDriverTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new("berth-blobcache");
    private readonly InMemoryDriver _store = new();
    private readonly FixedTimeProvider _time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadUrl_NoCopyYet_CopiedInTheBackgroundThenServedFromDisk()
    {
        using var cache = Open();
        var driver = new BlobCachingDriver(_store, cache);
        var (digest, bytes) = await StoreBlobAsync(100_000, seed: 1);

        Assert.Null(driver.LocalPath(RegistryPaths.BlobData(digest)));
        await driver.ReadUrlAsync(RegistryPaths.BlobData(digest), Ct);
        await cache.WhenFilledAsync(digest);

        var file = driver.LocalPath(RegistryPaths.BlobData(digest));
        Assert.NotNull(file);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file, Ct));
        Assert.Equal(bytes.Length, cache.Bytes);
        Assert.Null(await driver.ReadUrlAsync(RegistryPaths.BlobData(digest), Ct));
    }

    [Fact]
    public async Task OpenRead_CopyHeld_ReadsTheCopyFromTheOffset()
    {
        using var cache = Open();
        var driver = new BlobCachingDriver(_store, cache);
        var (digest, bytes) = await StoreBlobAsync(50_000, seed: 2);
        await (await driver.OpenReadAsync(RegistryPaths.BlobData(digest), 0, Ct))!.DisposeAsync();
        await cache.WhenFilledAsync(digest);
        // The store's own bytes are gone: what is read now can only come from the copy.
        await _store.DeleteAsync(RegistryPaths.BlobData(digest), Ct);

        await using var read = await driver.OpenReadAsync(RegistryPaths.BlobData(digest), 1000, Ct);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy, Ct);

        Assert.Equal(bytes[1000..], copy.ToArray());
    }

    [Fact]
    public async Task Fill_ContentDoesNotMatchItsDigest_NothingKept()
    {
        using var cache = Open();
        var driver = new BlobCachingDriver(_store, cache);
        var digest = Digest.Compute(TestContent.Random(1000, seed: 3));
        await _store.WriteAllAsync(RegistryPaths.BlobData(digest), TestContent.Random(1000, seed: 4), Ct);

        await driver.ReadUrlAsync(RegistryPaths.BlobData(digest), Ct);
        await cache.WhenFilledAsync(digest);

        Assert.Null(driver.LocalPath(RegistryPaths.BlobData(digest)));
        Assert.Equal(0, cache.Count);
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Delete_BlobFolderDeletedThroughTheNode_CopyRemoved()
    {
        using var cache = Open();
        var driver = new BlobCachingDriver(_store, cache);
        var (digest, _) = await StoreBlobAsync(1000, seed: 5);
        await FillAsync(driver, cache, digest);
        var file = driver.LocalPath(RegistryPaths.BlobData(digest))!;

        // The collector deletes the blob's folder, as registry:2's does.
        await driver.DeleteAsync(RegistryPaths.BlobData(digest).Parent, Ct);

        Assert.False(File.Exists(file));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public async Task Open_AfterARestart_FindsTheCopiesAndRemovesTempLeftovers()
    {
        Digest digest;
        using (var first = Open())
        {
            (digest, _) = await StoreBlobAsync(2000, seed: 6);
            await FillAsync(new BlobCachingDriver(_store, first), first, digest);
        }

        var leftover = Path.Combine(_folder.Path, "tmp", "0123456789abcdef");
        await File.WriteAllBytesAsync(leftover, [1, 2, 3], Ct);
        using var second = Open();

        Assert.Equal(1, second.Count);
        Assert.Equal(2000, second.Bytes);
        Assert.NotNull(second.Find(digest));
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task Fill_PastTheLimit_LeastRecentlyServedCopyRemoved()
    {
        using var cache = Open(maxBytes: 2500);
        var driver = new BlobCachingDriver(_store, cache);
        var (oldest, _) = await StoreBlobAsync(1000, seed: 7);
        var (served, _) = await StoreBlobAsync(1000, seed: 8);
        var (newest, _) = await StoreBlobAsync(1000, seed: 9);
        await FillAsync(driver, cache, oldest);
        _time.Now += TimeSpan.FromMinutes(5);
        await FillAsync(driver, cache, served);
        _time.Now += TimeSpan.FromMinutes(5);
        Assert.NotNull(cache.Find(oldest));
        _time.Now += TimeSpan.FromMinutes(5);
        Assert.NotNull(cache.Find(served));

        await FillAsync(driver, cache, newest);

        Assert.Null(cache.Find(oldest));
        Assert.NotNull(cache.Find(served));
        Assert.NotNull(cache.Find(newest));
        Assert.Equal(2000, cache.Bytes);
    }

    [Fact]
    public async Task Fill_PastTheLimitButEveryCopyJustServed_NoneRemovedWhileItMayBeSending()
    {
        using var cache = Open(maxBytes: 1500);
        var driver = new BlobCachingDriver(_store, cache);
        var (first, _) = await StoreBlobAsync(1000, seed: 10);
        var (second, _) = await StoreBlobAsync(1000, seed: 11);
        await FillAsync(driver, cache, first);
        await FillAsync(driver, cache, second);

        Assert.NotNull(cache.Find(first));
        Assert.NotNull(cache.Find(second));
    }

    [Fact]
    public async Task FillInBackground_MoreBlobsThanMayWait_TheRestLeftForTheirNextPull()
    {
        using var cache = Open(options => options with { ConcurrentFills = 1, MaxPendingFills = 2 });
        var store = new HeldReadsDriver(_store);
        var driver = new BlobCachingDriver(store, cache);
        var digests = new List<Digest>();
        for (var seed = 20; seed < 24; seed++)
        {
            digests.Add((await StoreBlobAsync(1000, seed)).Digest);
        }

        foreach (var digest in digests)
        {
            await driver.ReadUrlAsync(RegistryPaths.BlobData(digest), Ct);
        }

        store.Release();
        foreach (var digest in digests)
        {
            await cache.WhenFilledAsync(digest);
        }

        Assert.Equal([true, true, false, false], digests.Select(digest => cache.Find(digest) is not null));
        await FillAsync(driver, cache, digests[3]);
        Assert.NotNull(cache.Find(digests[3]));
    }

    private NodeBlobCache Open(long maxBytes = NodeBlobCacheOptions.DefaultMaxBytes) =>
        Open(options => options with { MaxBytes = maxBytes });

    private NodeBlobCache Open(Func<NodeBlobCacheOptions, NodeBlobCacheOptions> configure)
    {
        var cache = new NodeBlobCache(configure(new NodeBlobCacheOptions { Directory = _folder.Path }), NullLogger.Instance, _time);
        cache.Open();
        return cache;
    }

    /// <summary>Holds every read until <see cref="Release"/>, so fills pile up as they would behind a slow store.</summary>
    private sealed class HeldReadsDriver(IStorageDriver inner) : DelegatingDriver(inner)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public override async Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken)
        {
            await _released.Task.WaitAsync(cancellationToken);
            return await Inner.OpenReadAsync(path, offset, cancellationToken);
        }
    }

    private static async Task FillAsync(BlobCachingDriver driver, NodeBlobCache cache, Digest digest)
    {
        await driver.ReadUrlAsync(RegistryPaths.BlobData(digest), Ct);
        await cache.WhenFilledAsync(digest);
    }

    private async Task<(Digest Digest, byte[] Bytes)> StoreBlobAsync(int size, int seed)
    {
        var bytes = TestContent.Random(size, seed);
        var digest = Digest.Compute(bytes);
        await _store.WriteAllAsync(RegistryPaths.BlobData(digest), bytes, Ct);
        return (digest, bytes);
    }
}
