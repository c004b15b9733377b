using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemUploadStoreTests() : UploadStoreTests(Backend.Filesystem);

public sealed class InMemoryUploadStoreTests() : UploadStoreTests(Backend.InMemory);

/// <summary>The upload state machine: start, append (with or without Content-Range), complete, cancel.</summary>
public abstract partial class UploadStoreTests(Backend backend) : StoreTestBase(backend)
{
    private static readonly byte[] Content = TestContent.Random(700_000, seed: 42);

    private static Digest ContentDigest => Digest.Compute(Content);

    [Fact]
    public async Task Complete_AfterOneAppend_PublishesExactContent()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);

        var appended = await repository.Uploads.AppendAsync(upload.Id, TestContent.Stream(Content), null, Ct);
        var blob = await repository.Uploads.CompleteAsync(upload.Id, ContentDigest, null, null, Ct);

        Assert.Equal(Content.Length, appended.Size);
        Assert.Equal(new BlobInfo(ContentDigest, Content.Length, blob.LocalPath), blob);
        Assert.Equal(Content, await ReadBlobAsync(repository, ContentDigest));
        Assert.Null(await repository.Uploads.GetAsync(upload.Id, Ct));
    }

    [Fact]
    public async Task Append_ChunksInOrderWithRanges_GrowsUploadAndCompletes()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);

        long offset = 0;
        foreach (var size in new[] { 1, 300_000, 99_999 })
        {
            var status = await repository.Uploads.AppendAsync(upload.Id, Chunk(offset, size), Range(offset, size), Ct);
            offset += size;
            Assert.Equal(offset, status.Size);
            Assert.Equal(offset, (await repository.Uploads.GetAsync(upload.Id, Ct))!.Size);
        }

        var rest = Content.Length - (int)offset;
        await repository.Uploads.CompleteAsync(upload.Id, ContentDigest, Chunk(offset, rest), Range(offset, rest), Ct);

        Assert.Equal(Content, await ReadBlobAsync(repository, ContentDigest));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(101)]
    public async Task Append_ChunkNotAtTheEnd_Throws416AndAppendsNothing(long start)
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(upload.Id, Chunk(0, 100), Range(0, 100), Ct);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Uploads.AppendAsync(upload.Id, Chunk(start, 10), Range(start, 10), Ct));

        Assert.Equal(RegistryErrorCode.RangeInvalid, error.Code);
        Assert.Equal(416, error.Status);
        Assert.Equal(100, (await repository.Uploads.GetAsync(upload.Id, Ct))!.Size);
    }

    [Theory]
    [InlineData(10, 9)]
    [InlineData(10, 11)]
    [InlineData(300_000, 600_000)]
    [InlineData(600_000, 300_000)]
    public async Task Append_BodySizeDiffersFromRange_Throws416AndRollsBack(int declared, int sent)
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(upload.Id, Chunk(0, 50), Range(0, 50), Ct);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Uploads.AppendAsync(upload.Id, Chunk(50, sent), Range(50, declared), Ct));

        Assert.Equal(RegistryErrorCode.RangeInvalid, error.Code);
        Assert.Equal(416, error.Status);
        Assert.Equal(50, (await repository.Uploads.GetAsync(upload.Id, Ct))!.Size);

        // The failed chunk left no trace, not even in the running hash: the client resends and the digest holds.
        await repository.Uploads.CompleteAsync(upload.Id, ContentDigest, Chunk(50, Content.Length - 50), null, Ct);
        Assert.Equal(Content, await ReadBlobAsync(repository, ContentDigest));
    }

    [Fact]
    public async Task Append_BodyThrowsMidway_LeavesSizeUnchangedAndNothingVisible()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(upload.Id, Chunk(0, 1000), null, Ct);

        var cut = new ThrowingStream(Content[1000..], failAfter: 400_000);
        await Assert.ThrowsAsync<IOException>(() => repository.Uploads.AppendAsync(upload.Id, cut, null, Ct));

        Assert.Equal(1000, (await repository.Uploads.GetAsync(upload.Id, Ct))!.Size);
        Assert.Null(await repository.Blobs.StatAsync(ContentDigest, Ct));
        await repository.Uploads.CompleteAsync(upload.Id, ContentDigest, Chunk(1000, Content.Length - 1000), null, Ct);
        Assert.Equal(Content, await ReadBlobAsync(repository, ContentDigest));
    }

    [Fact]
    public async Task Complete_WholeBlobBodyThrowsMidway_NothingVisibleAndTheSessionCanRetry()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);

        var cut = new ThrowingStream(Content, failAfter: 400_000);
        await Assert.ThrowsAsync<IOException>(() => repository.Uploads.CompleteAsync(upload.Id, ContentDigest, cut, null, Ct));

        Assert.Null(await repository.Blobs.StatAsync(ContentDigest, Ct));
        Assert.Equal(0, (await repository.Uploads.GetAsync(upload.Id, Ct))!.Size);
        await repository.Uploads.CompleteAsync(upload.Id, ContentDigest, TestContent.Stream(Content), null, Ct);
        Assert.Equal(Content, await ReadBlobAsync(repository, ContentDigest));
    }

    [Fact]
    public async Task Complete_WrongDigest_ThrowsDigestInvalidEndsSessionAndPublishesNothing()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        var claimed = Digest.Compute("something else"u8);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Uploads.CompleteAsync(upload.Id, claimed, TestContent.Stream(Content), null, Ct));

        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
        Assert.Null(await repository.Uploads.GetAsync(upload.Id, Ct));
        Assert.Null(await repository.Blobs.StatAsync(claimed, Ct));
        Assert.Null(await repository.Blobs.StatAsync(ContentDigest, Ct));
    }

    [Fact]
    public async Task Complete_Sha512Digest_VerifiesByRehashAndPublishes()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(upload.Id, Chunk(0, 1234), null, Ct);
        var sha512 = Digest.Parse("sha512:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(Content)));

        var blob = await repository.Uploads.CompleteAsync(upload.Id, sha512, Chunk(1234, Content.Length - 1234), null, Ct);

        Assert.Equal(sha512, blob.Digest);
        Assert.Equal(Content, await ReadBlobAsync(repository, sha512));
        Assert.Null(await repository.Blobs.StatAsync(ContentDigest, Ct));
    }

    [Fact]
    public async Task Complete_ByFreshStore_RehashesAndPublishes()
    {
        var first = await OpenRepositoryAsync("app");
        var upload = await first.Uploads.StartAsync(Ct);
        await first.Uploads.AppendAsync(upload.Id, Chunk(0, 500_000), Range(0, 500_000), Ct);

        // A restarted process (or another node) has no running hash for this upload.
        var second = await OpenRepositoryAsync("app");
        var status = await second.Uploads.GetAsync(upload.Id, Ct);
        var blob = await second.Uploads.CompleteAsync(upload.Id, ContentDigest, Chunk(500_000, Content.Length - 500_000), null, Ct);

        Assert.Equal(500_000, status!.Size);
        Assert.Equal(ContentDigest, blob.Digest);
        Assert.NotNull(await first.Blobs.StatAsync(ContentDigest, Ct));
    }

    [Fact]
    public async Task Complete_ChunksAlternatingBetweenStores_VerifiesTheWholeContent()
    {
        var a = await OpenRepositoryAsync("app");
        var b = await OpenRepositoryAsync("app");
        var upload = await a.Uploads.StartAsync(Ct);

        // a's running hash goes stale when b appends; a must notice instead of finishing a hash that skipped bytes.
        await a.Uploads.AppendAsync(upload.Id, Chunk(0, 100), null, Ct);
        await b.Uploads.AppendAsync(upload.Id, Chunk(100, 100), null, Ct);
        await a.Uploads.AppendAsync(upload.Id, Chunk(200, 100), null, Ct);
        var blob = await a.Uploads.CompleteAsync(upload.Id, ContentDigest, Chunk(300, Content.Length - 300), null, Ct);

        Assert.Equal(ContentDigest, blob.Digest);
        Assert.Equal(Content, await ReadBlobAsync(a, ContentDigest));
    }

    private static MemoryStream Chunk(long offset, int size) => TestContent.Stream(Content[(int)offset..((int)offset + size)]);

    private static ChunkRange Range(long offset, int size) => new(offset, offset + size - 1);

    private static async Task<byte[]> ReadBlobAsync(IRepository repository, Digest digest)
    {
        var blob = await repository.Blobs.StatAsync(digest, Ct);
        Assert.NotNull(blob);
        await using var stream = await repository.Blobs.OpenReadAsync(blob, 0, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
