using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemTagAndCatalogTests() : TagAndCatalogTests(Backend.Filesystem);

public sealed class InMemoryTagAndCatalogTests() : TagAndCatalogTests(Backend.InMemory);

/// <summary>Listings: tags of a repository and the catalog's pages.</summary>
public abstract class TagAndCatalogTests(Backend backend) : StoreTestBase(backend)
{
    [Fact]
    public async Task ListTags_ManyTags_SortedOrdinal()
    {
        var repository = await OpenRepositoryAsync("app");
        var manifest = await PushImageAsync(repository, Image(1), null);
        string[] tags = ["b", "a", "Z", "_x", "1.0", "10", "2", "a-b", "a.b"];
        foreach (var tag in tags)
        {
            await repository.Manifests.PutAsync(Reference.Of(Tag.Parse(tag)), manifest.Bytes, null, [], Ct);
        }

        var listed = await repository.Tags.ListAsync(Ct);

        Assert.Equal(tags.Order(StringComparer.Ordinal), listed);
        Assert.Equal(["1.0", "10", "2", "Z", "_x", "a", "a-b", "a.b", "b"], listed);
    }

    [Fact]
    public async Task ListTags_UnknownRepository_ReturnsNull()
    {
        var store = await OpenStoreAsync();
        await PushImageAsync(store.Repository(RepositoryName.Parse("app")), Image(1), "v1");

        Assert.Null(await store.Repository(RepositoryName.Parse("nope")).Tags.ListAsync(Ct));
        Assert.Null(await store.Repository(RepositoryName.Parse("app/nested")).Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task ListTags_NamespaceAboveARepository_ReturnsNull()
    {
        var store = await OpenStoreAsync();
        await PushImageAsync(store.Repository(RepositoryName.Parse("team/app")), Image(1), "v1");
        var uploading = store.Repository(RepositoryName.Parse("uploading"));
        await uploading.Uploads.StartAsync(Ct);

        // "team" is only a folder on the way to "team/app", and an upload in progress makes no repository either.
        Assert.Null(await store.Repository(RepositoryName.Parse("team")).Tags.ListAsync(Ct));
        Assert.Null(await (await OpenStoreAsync()).Repository(RepositoryName.Parse("team")).Tags.ListAsync(Ct));
        Assert.Null(await uploading.Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task ListTags_RepositoryWithoutTags_ReturnsEmpty()
    {
        var repository = await OpenRepositoryAsync("app");
        await PushBlobAsync(repository, "blob"u8.ToArray());

        Assert.Equal([], await repository.Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task Catalog_PagedWithLast_WalksEveryNameOnceInOrder()
    {
        var (store, names) = await ManyRepositoriesAsync(23);

        var seen = new List<string>();
        string? last = null;
        bool hasMore;
        do
        {
            (var page, hasMore) = await store.Catalog.PageAsync(last, 5, Ct);
            Assert.InRange(page.Count, 1, 5);
            Assert.Equal(hasMore, seen.Count + page.Count < names.Count);
            seen.AddRange(page);
            last = page[^1];
        }
        while (hasMore);

        Assert.Equal(names, seen);
    }

    [Fact]
    public async Task Catalog_LastBetweenNamesOrAtEnd_IsExclusive()
    {
        var (store, names) = await ManyRepositoriesAsync(10);

        var (page, more) = await store.Catalog.PageAsync(names[3], 3, Ct);
        Assert.Equal(names[4..7], page);
        Assert.True(more);
        (page, more) = await store.Catalog.PageAsync(names[3] + "!", 100, Ct);
        Assert.Equal(names[4..], page);
        Assert.False(more);
        (page, more) = await store.Catalog.PageAsync(names[^1], 10, Ct);
        Assert.Empty(page);
        Assert.False(more);
        Assert.Empty((await store.Catalog.PageAsync("zzz-after-everything", 10, Ct)).Names);
        Assert.Equal(names[..2], (await store.Catalog.PageAsync("", 2, Ct)).Names);
    }

    [Fact]
    public async Task Catalog_CountZero_ReturnsNothingButSaysMoreFollow()
    {
        var (store, _) = await ManyRepositoriesAsync(3);

        var (names, more) = await store.Catalog.PageAsync(null, 0, Ct);

        Assert.Empty(names);
        Assert.True(more);
    }

    [Fact]
    public async Task Catalog_FreshStore_LoadsTheSameNamesFromStorage()
    {
        var (_, names) = await ManyRepositoriesAsync(12);

        var restarted = await OpenStoreAsync();

        Assert.Equal(names, (await restarted.Catalog.PageAsync(null, 100, Ct)).Names);
        Assert.True(await restarted.Catalog.ContainsAsync(RepositoryName.Parse(names[0]), Ct));
    }

    /// <summary>Repositories with nested and sibling names, sorted ordinal, each holding a mounted blob and a tag.</summary>
    private async Task<(RegistryStore Store, List<string> Names)> ManyRepositoriesAsync(int count)
    {
        var store = await OpenStoreAsync();
        var source = store.Repository(RepositoryName.Parse("base"));
        var image = Image(1);
        var manifest = await PushImageAsync(source, image, null);
        var names = new List<string> { "base" };
        for (var i = 1; i < count; i++)
        {
            var name = RepositoryName.Parse(i % 3 == 0 ? $"team{i % 2}/app{i}" : $"app{i}");
            var repository = store.Repository(name);
            foreach (var blob in image.Blobs)
            {
                await repository.Blobs.MountAsync(Digest.Compute(blob), source.Name, Ct);
            }

            await repository.Manifests.PutAsync(Reference.Of(Tag.Parse("v1")), manifest.Bytes, null, [], Ct);
            names.Add(name.Value);
        }

        names.Sort(StringComparer.Ordinal);
        return (store, names);
    }
}
