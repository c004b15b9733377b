using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

/// <summary>Sessions: where they exist, when they end, and when their bytes become a visible blob.</summary>
public abstract partial class UploadStoreTests
{
    [Fact]
    public async Task Start_Always_ReturnsEmptySessionStampedWithTheClock()
    {
        var repository = await OpenRepositoryAsync("app");

        var upload = await repository.Uploads.StartAsync(Ct);
        Time.Now = Time.Now.AddHours(1);
        var status = await repository.Uploads.GetAsync(upload.Id, Ct);

        Assert.Equal(0, upload.Size);
        Assert.NotNull(status);
        Assert.Equal(0, status.Size);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), status.StartedAt);
    }

    [Fact]
    public async Task Cancel_Existing_EndsSessionAndPublishesNothing()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(upload.Id, Chunk(0, 1000), null, Ct);

        Assert.True(await repository.Uploads.CancelAsync(upload.Id, Ct));

        Assert.Null(await repository.Uploads.GetAsync(upload.Id, Ct));
        Assert.False(await repository.Uploads.CancelAsync(upload.Id, Ct));
        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Uploads.AppendAsync(upload.Id, Chunk(0, 10), null, Ct));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
    }

    [Fact]
    public async Task UnknownId_EveryOperation_ReportsBlobUploadUnknown()
    {
        var repository = await OpenRepositoryAsync("app");
        var id = UploadId.New();

        var append = await Assert.ThrowsAsync<RegistryException>(() => repository.Uploads.AppendAsync(id, Chunk(0, 10), null, Ct));
        var complete = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Uploads.CompleteAsync(id, ContentDigest, null, null, Ct));

        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, append.Code);
        Assert.Equal(404, append.Status);
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, complete.Code);
        Assert.Null(await repository.Uploads.GetAsync(id, Ct));
        Assert.False(await repository.Uploads.CancelAsync(id, Ct));
    }

    [Fact]
    public async Task Upload_OfAnotherRepository_IsUnknownHere()
    {
        var store = await OpenStoreAsync();
        var upload = await store.Repository(RepositoryName.Parse("one")).Uploads.StartAsync(Ct);

        var other = store.Repository(RepositoryName.Parse("two"));

        Assert.Null(await other.Uploads.GetAsync(upload.Id, Ct));
        await Assert.ThrowsAsync<RegistryException>(() => other.Uploads.AppendAsync(upload.Id, Chunk(0, 10), null, Ct));
    }

    [Fact]
    public async Task Blob_DuringUpload_IsNotVisibleUntilCompleted()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(upload.Id, TestContent.Stream(Content), null, Ct);

        Assert.Null(await repository.Blobs.StatAsync(ContentDigest, Ct));
        Assert.Empty((await (await OpenStoreAsync()).Catalog.PageAsync(null, 10, Ct)).Names);

        await repository.Uploads.CompleteAsync(upload.Id, ContentDigest, null, null, Ct);
        Assert.NotNull(await repository.Blobs.StatAsync(ContentDigest, Ct));
    }

    [Fact]
    public async Task Complete_ContentAlreadyStored_LinksItIntoTheRepository()
    {
        var store = await OpenStoreAsync();
        await PushBlobAsync(store.Repository(RepositoryName.Parse("first")), Content);
        var second = store.Repository(RepositoryName.Parse("second"));
        Assert.Null(await second.Blobs.StatAsync(ContentDigest, Ct));

        var blob = await PushBlobAsync(second, Content);

        Assert.Equal(Content.Length, blob.Size);
        Assert.Equal(Content, await ReadBlobAsync(second, ContentDigest));
    }

    [Fact]
    public async Task Complete_EmptyUpload_PublishesEmptyBlob()
    {
        var repository = await OpenRepositoryAsync("app");
        var upload = await repository.Uploads.StartAsync(Ct);

        var blob = await repository.Uploads.CompleteAsync(upload.Id, Digest.Compute([]), null, null, Ct);

        Assert.Equal(0, blob.Size);
        Assert.Empty(await ReadBlobAsync(repository, Digest.Compute([])));
    }
}
