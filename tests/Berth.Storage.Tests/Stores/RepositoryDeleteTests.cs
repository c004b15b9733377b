using Berth.Core;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

public sealed class FilesystemRepositoryDeleteTests() : RepositoryDeleteTests(Backend.Filesystem);

public sealed class InMemoryRepositoryDeleteTests() : RepositoryDeleteTests(Backend.InMemory);

/// <summary>
/// Whole-repository deletion in the store: what it reports, and that a deletion cut short (a crash between its
/// steps) leaves a readable repository without dangling tags, which the next call finishes.
/// </summary>
public abstract class RepositoryDeleteTests(Backend backend) : StoreTestBase(backend)
{
    private static readonly RepositoryName App = RepositoryName.Parse("team/app");

    [Fact]
    public async Task Delete_Repository_ReportsEveryTagAndManifestAndLeavesNothingOfIt()
    {
        var store = await OpenStoreAsync(deleteEnabled: true);
        var repository = store.Repository(App);
        var first = await PushImageAsync(repository, Image(1), "v1");
        var second = await PushImageAsync(repository, Image(2), "latest");

        var deletion = await store.DeleteRepositoryAsync(App, Ct);

        Assert.NotNull(deletion);
        Assert.Equal(["latest", "v1"], deletion.Tags.Select(t => t.Value));
        Assert.Equal(new[] { first.Digest, second.Digest }.Select(d => d.ToString()).Order(StringComparer.Ordinal), deletion.Manifests.Select(d => d.ToString()));
        Assert.Null(await Driver.StatAsync(RegistryPaths.Repository(App).Append(RegistryPaths.ManifestsFolder), Ct));
        Assert.Null(await Driver.StatAsync(RegistryPaths.Repository(App).Append(RegistryPaths.LayersFolder), Ct));
        Assert.NotNull(await Driver.StatAsync(RegistryPaths.BlobData(first.Digest), Ct));
        Assert.Null(await store.Repository(App).Tags.ListAsync(Ct));
        Assert.Null(await store.DeleteRepositoryAsync(App, Ct));
    }

    [Fact]
    public async Task Delete_AfterACrashThatLeftOnlyBlobLinks_ListedWithoutTagsThenFinished()
    {
        var store = await OpenStoreAsync(deleteEnabled: true);
        var pushed = await PushImageAsync(store.Repository(App), Image(3), "v1");
        // What the first call leaves if the process dies after removing tags and manifests, before the blob links.
        await Driver.DeleteAsync(RegistryPaths.Repository(App).Append(RegistryPaths.ManifestsFolder), Ct);
        var restarted = await OpenStoreAsync(deleteEnabled: true);

        Assert.Equal([], await restarted.Repository(App).Tags.ListAsync(Ct));
        Assert.Null(await restarted.Repository(App).Manifests.GetAsync(Reference.Of(pushed.Digest), Ct));
        Assert.Contains("team/app", (await restarted.Catalog.PageAsync(null, 10, Ct)).Names);

        var deletion = await restarted.DeleteRepositoryAsync(App, Ct);

        Assert.NotNull(deletion);
        Assert.Empty(deletion.Tags);
        Assert.Null(await restarted.Repository(App).Tags.ListAsync(Ct));
        Assert.DoesNotContain("team/app", (await restarted.Catalog.PageAsync(null, 10, Ct)).Names);
    }

    [Fact]
    public async Task Delete_Disabled_ThrowsUnsupportedAndKeepsTheRepository()
    {
        var store = await OpenStoreAsync(deleteEnabled: false);
        await PushImageAsync(store.Repository(App), Image(4), "v1");

        var refusal = await Assert.ThrowsAsync<Core.Errors.RegistryException>(() => store.DeleteRepositoryAsync(App, Ct));

        Assert.Equal(405, refusal.Status);
        Assert.Equal(["v1"], await store.Repository(App).Tags.ListAsync(Ct));
    }
}
