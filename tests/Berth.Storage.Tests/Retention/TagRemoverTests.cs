using Berth.Core;
using Berth.Core.Immutability;
using Berth.Core.Patterns;
using Berth.Storage.Layout;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Retention;

public sealed class FilesystemTagRemoverTests() : TagRemoverTests(Backend.Filesystem);

public sealed class InMemoryTagRemoverTests() : TagRemoverTests(Backend.InMemory);

/// <summary>
/// Retention's compare-and-remove of a tag (<see cref="RegistryStore.RemoveTagIfUnchangedAsync"/>): it removes the
/// tag only while it names the manifest retention judged, and a push that moves the tag meanwhile always survives.
/// </summary>
public abstract class TagRemoverTests(Backend backend) : StoreTestBase(backend)
{
    private static readonly RepositoryName App = RepositoryName.Parse("app");
    private static readonly StoreOptions Retention = new() { LockTagWrites = true };

    [Fact]
    public async Task RemoveTagIfUnchanged_TagStillNamesTheManifest_RemovesIt()
    {
        var store = await OpenStoreAsync(options: Retention);
        var v1 = await PushImageAsync(store.Repository(App), Image(1), "v1");

        Assert.True(await store.RemoveTagIfUnchangedAsync(App, Tag.Parse("v1"), v1.Digest, Ct));

        Assert.Equal([], await store.Repository(App).Tags.ListAsync(Ct));
        Assert.Null(await store.Repository(App).Manifests.GetAsync(Reference.Of(Tag.Parse("v1")), Ct));
    }

    [Fact]
    public async Task RemoveTagIfUnchanged_PushMovedTheTagBefore_KeepsItAndSaysSo()
    {
        var store = await OpenStoreAsync(options: Retention);
        var judged = await PushImageAsync(store.Repository(App), Image(1), "v1");
        var moved = await PushImageAsync(store.Repository(App), Image(2), "v1");

        Assert.False(await store.RemoveTagIfUnchangedAsync(App, Tag.Parse("v1"), judged.Digest, Ct));

        Assert.Equal(moved.Digest, (await store.Repository(App).Manifests.GetAsync(Reference.Of(Tag.Parse("v1")), Ct))!.Digest);
        Assert.False(await store.RemoveTagIfUnchangedAsync(App, Tag.Parse("gone"), judged.Digest, Ct));
    }

    [Fact]
    public async Task RemoveTagIfUnchanged_PushDuringTheRemoval_WaitsForTheLockAndItsTagSurvives()
    {
        // One store, as in one process: the push and the removal share its locks; only the removal deletes the tag folder.
        var gate = new GatedDeleteDriver(Driver, RegistryPaths.Tag(App, Tag.Parse("v1")));
        var store = await OpenStoreAsync(options: Retention, driver: gate);
        var judged = await PushImageAsync(store.Repository(App), Image(1), "v1");
        var second = Image(2);
        foreach (var blob in second.Blobs)
        {
            await PushBlobAsync(store.Repository(App), blob);
        }

        // The remover has checked the tag (still the judged manifest) and holds the lock, about to delete.
        var removing = store.RemoveTagIfUnchangedAsync(App, Tag.Parse("v1"), judged.Digest, Ct);
        await gate.Reached.WaitAsync(Ct);
        var pushing = store.Repository(App).Manifests.PutAsync(Reference.Of(Tag.Parse("v1")), second.Build(), null, [], Ct);
        await Task.Delay(100, Ct);
        Assert.False(pushing.IsCompleted);

        gate.Open();
        Assert.True(await removing);
        var pushed = await pushing;

        Assert.Equal(pushed.Digest, (await store.Repository(App).Manifests.GetAsync(Reference.Of(Tag.Parse("v1")), Ct))!.Digest);
    }

    [Fact]
    public async Task RemoveTagIfUnchanged_WithoutLockTagWrites_APushInBetweenIsLost()
    {
        // Why LockTagWrites exists: without it the same interleaving deletes the tag a client was just told it pushed.
        var gate = new GatedDeleteDriver(Driver, RegistryPaths.Tag(App, Tag.Parse("v1")));
        var store = await OpenStoreAsync(driver: gate);
        var judged = await PushImageAsync(store.Repository(App), Image(1), "v1");

        var removing = store.RemoveTagIfUnchangedAsync(App, Tag.Parse("v1"), judged.Digest, Ct);
        await gate.Reached.WaitAsync(Ct);
        await PushImageAsync(store.Repository(App), Image(2), "v1");
        gate.Open();
        await removing;

        Assert.Null(await store.Repository(App).Manifests.GetAsync(Reference.Of(Tag.Parse("v1")), Ct));
    }

    [Fact]
    public async Task RemoveTagIfUnchanged_ImmutableTag_NeverRemoved()
    {
        Assert.True(RepositoryGlob.TryParse("**", out var everywhere, out _));
        Assert.True(TagGlob.TryParse("v*", out var versions, out _));
        var rules = new ImmutableTagRules([new ImmutableTagRule("storage.immutabletags.0", [everywhere!], [versions!])]);
        var store = await OpenStoreAsync(options: Retention with { ImmutableTags = rules });
        var v1 = await PushImageAsync(store.Repository(App), Image(1), "v1");

        Assert.False(await store.RemoveTagIfUnchangedAsync(App, Tag.Parse("v1"), v1.Digest, Ct));
        Assert.Equal(["v1"], await store.Repository(App).Tags.ListAsync(Ct));
    }
}
