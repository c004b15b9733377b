using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemBlobStoreTests() : BlobStoreTests(Backend.Filesystem);

public sealed class InMemoryBlobStoreTests() : BlobStoreTests(Backend.InMemory);

/// <summary>Blob links: a repository sees only what was pushed or mounted into it; unlinking keeps the content.</summary>
public abstract class BlobStoreTests(Backend backend) : StoreTestBase(backend)
{
    private static readonly byte[] Content = TestContent.Random(10_000, seed: 7);

    private static Digest ContentDigest => Digest.Compute(Content);

    [Fact]
    public async Task Mount_BlobInSourceRepository_LinksIt()
    {
        var store = await OpenStoreAsync();
        await PushBlobAsync(store.Repository(RepositoryName.Parse("source")), Content);
        var target = store.Repository(RepositoryName.Parse("target"));

        var mounted = await target.Blobs.MountAsync(ContentDigest, RepositoryName.Parse("source"), Ct);

        Assert.NotNull(mounted);
        Assert.Equal(Content.Length, mounted.Size);
        Assert.NotNull(await target.Blobs.StatAsync(ContentDigest, Ct));
        Assert.Contains("target", (await store.Catalog.PageAsync(null, 10, Ct)).Names);
    }

    [Fact]
    public async Task Mount_BlobNotInSourceRepository_ReturnsNullAndLinksNothing()
    {
        var store = await OpenStoreAsync();
        // The content is in the registry, but linked only into "elsewhere": naming it is not enough to get it.
        await PushBlobAsync(store.Repository(RepositoryName.Parse("elsewhere")), Content);
        var target = store.Repository(RepositoryName.Parse("target"));

        Assert.Null(await target.Blobs.MountAsync(ContentDigest, RepositoryName.Parse("source"), Ct));
        Assert.Null(await target.Blobs.MountAsync(Digest.Compute("absent"u8), RepositoryName.Parse("elsewhere"), Ct));
        Assert.Null(await target.Blobs.StatAsync(ContentDigest, Ct));
    }

    [Fact]
    public async Task Delete_Disabled_ThrowsUnsupported405AndKeepsTheLink()
    {
        var repository = await OpenRepositoryAsync("app", deleteEnabled: false);
        await PushBlobAsync(repository, Content);

        var error = await Assert.ThrowsAsync<RegistryException>(() => repository.Blobs.DeleteAsync(ContentDigest, Ct));

        Assert.Equal(RegistryErrorCode.Unsupported, error.Code);
        Assert.Equal(405, error.Status);
        Assert.NotNull(await repository.Blobs.StatAsync(ContentDigest, Ct));
    }

    [Fact]
    public async Task Delete_Enabled_UnlinksButKeepsContentForOtherRepositories()
    {
        var store = await OpenStoreAsync(deleteEnabled: true);
        var repository = store.Repository(RepositoryName.Parse("app"));
        var other = store.Repository(RepositoryName.Parse("other"));
        await PushBlobAsync(repository, Content);
        await PushBlobAsync(other, Content);

        Assert.True(await repository.Blobs.DeleteAsync(ContentDigest, Ct));

        Assert.Null(await repository.Blobs.StatAsync(ContentDigest, Ct));
        Assert.NotNull(await other.Blobs.StatAsync(ContentDigest, Ct));
        Assert.NotNull(await Driver.StatAsync(RegistryPaths.BlobData(ContentDigest), Ct));
        Assert.False(await repository.Blobs.DeleteAsync(ContentDigest, Ct));
    }

    [Fact]
    public async Task OpenRead_AtOffset_ReturnsTheRest()
    {
        var repository = await OpenRepositoryAsync("app");
        var blob = await PushBlobAsync(repository, Content);

        await using var stream = await repository.Blobs.OpenReadAsync(blob, 9_000, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        Assert.Equal(Content[9_000..], copy.ToArray());
    }

    [Fact]
    public async Task Stat_LinkNamingAnotherDigest_ReturnsNull()
    {
        var repository = await OpenRepositoryAsync("app");
        await PushBlobAsync(repository, Content);
        var other = Digest.Compute("other"u8);

        // A link must name its own digest; a corrupt or swapped link exposes nothing.
        await Driver.WriteLinkAsync(RegistryPaths.LayerLink(repository.Name, other), ContentDigest, Ct);

        Assert.Null(await repository.Blobs.StatAsync(other, Ct));
    }
}
