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
/// Copies made from the bytes of a push through the node: a blob written whole, and an upload session appended in
/// several requests and then moved into its blob, become copies once committed; bytes that reached the store through
/// another node, a write that is never committed, or a cancelled upload leave no copy and no file.
/// </summary>
public sealed class PushCopyTests : IDisposable
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");
    private readonly TempDirectory _folder = new("berth-pushcopy");
    private readonly InMemoryDriver _store = new();
    private readonly NodeBlobCache _cache;
    private readonly BlobCachingDriver _driver;

    public PushCopyTests()
    {
        _cache = new NodeBlobCache(new NodeBlobCacheOptions { Directory = _folder.Path }, NullLogger.Instance);
        _cache.Open();
        _driver = new BlobCachingDriver(_store, _cache);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Temp => Path.Combine(_folder.Path, "tmp");

    public void Dispose()
    {
        _cache.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task WholeBlobWritten_Committed_CopyServedWithoutAStoreRead()
    {
        var bytes = TestContent.Random(300_000, seed: 11);
        var digest = Digest.Compute(bytes);

        await WriteAsync(RegistryPaths.BlobData(digest), bytes, append: false);
        await _cache.WhenFilledAsync(digest);
        // The store's bytes are gone: what is served now can only be the copy made during the push.
        await _store.DeleteAsync(RegistryPaths.BlobData(digest), Ct);

        var file = _driver.LocalPath(RegistryPaths.BlobData(digest));
        Assert.NotNull(file);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file, Ct));
        Assert.Empty(Directory.EnumerateFiles(Temp));
    }

    [Fact]
    public async Task UploadInThreeRequests_MovedIntoItsBlob_CopyHeld()
    {
        var bytes = TestContent.Random(200_000, seed: 12);
        var digest = Digest.Compute(bytes);
        var data = RegistryPaths.UploadData(Repository, UploadId.New());

        await WriteAsync(data, bytes[..1], append: true);
        await WriteAsync(data, bytes[1..70_000], append: true);
        await WriteAsync(data, bytes[70_000..], append: true);
        await _driver.MoveAsync(data, RegistryPaths.BlobData(digest), Ct);
        await _cache.WhenFilledAsync(digest);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(_cache.Find(digest)!, Ct));
        Assert.Empty(Directory.EnumerateFiles(Temp));
    }

    [Fact]
    public async Task UploadWithAChunkFromAnotherNode_Moved_NoCopyAndNoFileLeft()
    {
        var bytes = TestContent.Random(90_000, seed: 13);
        var digest = Digest.Compute(bytes);
        var data = RegistryPaths.UploadData(Repository, UploadId.New());

        await WriteAsync(data, bytes[..30_000], append: true);
        // Another node appends straight to the store; this node's copy lacks those bytes.
        await using (var elsewhere = await _store.OpenWriteAsync(data, append: true, Ct))
        {
            await elsewhere.WriteAsync(bytes.AsMemory(30_000, 30_000), Ct);
            await elsewhere.CommitAsync(Ct);
        }

        await WriteAsync(data, bytes[60_000..], append: true);
        await _driver.MoveAsync(data, RegistryPaths.BlobData(digest), Ct);
        await _cache.WhenFilledAsync(digest);

        Assert.Null(_cache.Find(digest));
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories));
        Assert.Equal(bytes, await _store.ReadAllAsync(RegistryPaths.BlobData(digest), Ct));
    }

    [Fact]
    public async Task LastChunkOnAnotherNode_MovedHere_MismatchDropped()
    {
        var bytes = TestContent.Random(50_000, seed: 14);
        var digest = Digest.Compute(bytes);
        var data = RegistryPaths.UploadData(Repository, UploadId.New());

        await WriteAsync(data, bytes[..20_000], append: true);
        await using (var elsewhere = await _store.OpenWriteAsync(data, append: true, Ct))
        {
            await elsewhere.WriteAsync(bytes.AsMemory(20_000), Ct);
            await elsewhere.CommitAsync(Ct);
        }

        await _driver.MoveAsync(data, RegistryPaths.BlobData(digest), Ct);
        await _cache.WhenFilledAsync(digest);

        Assert.Null(_cache.Find(digest));
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteNotCommitted_NoCopyAndNoFileLeft()
    {
        var bytes = TestContent.Random(10_000, seed: 15);
        var digest = Digest.Compute(bytes);

        await using (var writer = await _driver.OpenWriteAsync(RegistryPaths.BlobData(digest), append: false, Ct))
        {
            await writer.WriteAsync(bytes, Ct);
        }

        await _cache.WhenFilledAsync(digest);
        Assert.Null(_cache.Find(digest));
        Assert.Empty(Directory.EnumerateFiles(Temp));
    }

    [Fact]
    public async Task UploadCancelled_CopyInTheMakingRemoved()
    {
        var upload = RegistryPaths.Upload(Repository, UploadId.New());
        await WriteAsync(upload.Append("data"), TestContent.Random(10_000, seed: 16), append: true);
        Assert.Single(Directory.EnumerateFiles(Temp));

        await _driver.DeleteAsync(upload, Ct);

        Assert.Empty(Directory.EnumerateFiles(Temp));
    }

    private async Task WriteAsync(StoragePath path, byte[] bytes, bool append)
    {
        await using var writer = await _driver.OpenWriteAsync(path, append, Ct);
        await writer.WriteAsync(bytes, Ct);
        await writer.CommitAsync(Ct);
    }
}
