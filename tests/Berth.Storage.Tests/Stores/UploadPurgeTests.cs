using System.Text;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Drivers;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemUploadPurgeTests() : UploadPurgeTests(Backend.Filesystem);

public sealed class InMemoryUploadPurgeTests() : UploadPurgeTests(Backend.InMemory);

/// <summary>registry:2's upload purging: abandoned sessions go, young ones and everything published stay.</summary>
public abstract class UploadPurgeTests(Backend backend) : StoreTestBase(backend)
{
    private static readonly TimeSpan Week = TimeSpan.FromHours(168);

    [Fact]
    public async Task Purge_SessionOlderThanAge_RemovedAndUnknownYoungerKept()
    {
        var store = await OpenStoreAsync();
        var repository = store.Repository(RepositoryName.Parse("app"));
        var abandoned = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(abandoned.Id, TestContent.Stream([1, 2, 3]), null, Ct);
        Time.Now += Week + TimeSpan.FromMinutes(1);
        var young = await repository.Uploads.StartAsync(Ct);
        var published = await PushBlobAsync(repository, [4, 5, 6]);

        var result = await store.PurgeUploadsAsync(Week, dryRun: false, Ct);

        Assert.Equal((1, 1), (result.Purged, result.Kept));
        Assert.Null(await repository.Uploads.GetAsync(abandoned.Id, Ct));
        Assert.Null(await Driver.StatAsync(StoragePath.Parse($"docker/registry/v2/repositories/app/_uploads/{abandoned.Id.Value}"), Ct));
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            repository.Uploads.AppendAsync(abandoned.Id, TestContent.Stream([7]), null, Ct));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
        Assert.NotNull(await repository.Uploads.GetAsync(young.Id, Ct));
        Assert.NotNull(await repository.Blobs.StatAsync(published.Digest, Ct));
    }

    [Fact]
    public async Task Purge_DryRun_CountsButRemovesNothing()
    {
        var store = await OpenStoreAsync();
        var repository = store.Repository(RepositoryName.Parse("app"));
        var abandoned = await repository.Uploads.StartAsync(Ct);
        Time.Now += Week * 2;

        var result = await store.PurgeUploadsAsync(Week, dryRun: true, Ct);

        Assert.Equal((1, 0), (result.Purged, result.Kept));
        Assert.NotNull(await repository.Uploads.GetAsync(abandoned.Id, Ct));
    }

    [Fact]
    public async Task Purge_Registry2SessionInNestedRepositoryWithNothingElse_Removed()
    {
        // What registry:2 leaves when a first push dies: only _uploads, a startedat in RFC 3339 without fraction.
        var session = StoragePath.Parse("docker/registry/v2/repositories/team/app/_uploads/0b5e8f4c-9d5a-4c0e-8f7e-3c7a1f2d9e01");
        await Driver.WriteAllAsync(session.Append("startedat"), Encoding.ASCII.GetBytes("2025-02-01T10:00:00Z"), Ct);
        await Driver.WriteAllAsync(session.Append("data"), new byte[] { 1, 2 }, Ct);
        var store = await OpenStoreAsync();

        var result = await store.PurgeUploadsAsync(Week, dryRun: false, Ct);

        Assert.Equal((1, 0), (result.Purged, result.Kept));
        Assert.Null(await Driver.StatAsync(session, Ct));
    }

    [Fact]
    public async Task Purge_StartedAtWithinAge_Kept()
    {
        var session = StoragePath.Parse("docker/registry/v2/repositories/app/_uploads/0b5e8f4c-9d5a-4c0e-8f7e-3c7a1f2d9e01");
        await Driver.WriteAllAsync(session.Append("startedat"), Encoding.ASCII.GetBytes("2025-03-01T10:00:00+02:00"), Ct);
        var store = await OpenStoreAsync();

        var result = await store.PurgeUploadsAsync(Week, dryRun: false, Ct);

        Assert.Equal((0, 1), (result.Purged, result.Kept));
        Assert.NotNull(await Driver.StatAsync(session, Ct));
    }
}
