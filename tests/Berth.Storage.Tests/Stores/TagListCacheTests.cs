using Berth.Core;
using Berth.Storage.Layout;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// The tag list cache on a shared folder: a list one process cached must never hide a tag another process added or
/// removed, because either changes the tags folder's modification time.
/// </summary>
public sealed class TagListCacheTests() : StoreTestBase(Backend.Filesystem)
{
    [Fact]
    public async Task ListTags_AnotherStoreAddsATag_CachedListIsNotServed()
    {
        var (reader, writer, manifest) = await TwoStoresWithTagAsync("v1");
        Assert.Equal(["v1"], await reader.Tags.ListAsync(Ct));
        Assert.Equal(["v1"], await reader.Tags.ListAsync(Ct));

        await writer.Manifests.PutAsync(Reference.Of(Tag.Parse("v2")), manifest, null, [], Ct);

        Assert.Equal(["v1", "v2"], await reader.Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task ListTags_AnotherStoreDeletesATag_CachedListIsNotServed()
    {
        var (reader, writer, manifest) = await TwoStoresWithTagAsync("v1", deleteEnabled: true);
        await writer.Manifests.PutAsync(Reference.Of(Tag.Parse("v2")), manifest, null, [], Ct);
        AgeTagsFolder();
        Assert.Equal(["v1", "v2"], await reader.Tags.ListAsync(Ct));

        await writer.Manifests.DeleteAsync(Reference.Of(Tag.Parse("v1")), Ct);

        Assert.Equal(["v2"], await reader.Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task ListTags_SameStoreTagsAgain_SeesItsOwnChangeAtOnce()
    {
        var (reader, _, manifest) = await TwoStoresWithTagAsync("v1");
        Assert.Equal(["v1"], await reader.Tags.ListAsync(Ct));

        await reader.Manifests.PutAsync(Reference.Of(Tag.Parse("v0")), manifest, null, [], Ct);
        // Even if the folder's time had not moved (a coarse clock tick), this store forgot its own list.
        AgeTagsFolder();

        Assert.Equal(["v0", "v1"], await reader.Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task ListTags_Counted_MissThenHitsUntilAnotherStoreTagsAgain()
    {
        var counters = new StoreCacheCounters(new CacheCounter("manifests"), new CacheCounter("tags"));
        var (reader, writer, manifest) = await TwoStoresWithTagAsync("v1", readerCounters: counters);
        await reader.Tags.ListAsync(Ct);
        await reader.Tags.ListAsync(Ct);
        await reader.Tags.ListAsync(Ct);
        Assert.Equal((2L, 1L), (counters.TagLists.Hits, counters.TagLists.Misses));

        await writer.Manifests.PutAsync(Reference.Of(Tag.Parse("v2")), manifest, null, [], Ct);

        Assert.Equal(["v1", "v2"], await reader.Tags.ListAsync(Ct));
        Assert.Equal((2L, 2L), (counters.TagLists.Hits, counters.TagLists.Misses));
        Assert.Equal((0L, 0L), (counters.Manifests.Hits, counters.Manifests.Misses));
    }

    /// <summary>
    /// Two stores over one folder (two processes), a tagged image, the tags folder dated in the past and the clock at
    /// now, so the reader's listing is settled and cached.
    /// </summary>
    private async Task<(Core.Stores.IRepository Reader, Core.Stores.IRepository Writer, ReadOnlyMemory<byte> Manifest)> TwoStoresWithTagAsync(
        string tag, bool deleteEnabled = false, StoreCacheCounters? readerCounters = null)
    {
        Time.Now = DateTimeOffset.UtcNow;
        var name = RepositoryName.Parse("app");
        var writer = (await OpenStoreAsync(deleteEnabled)).Repository(name);
        var manifest = await PushImageAsync(writer, Image(1), tag);
        AgeTagsFolder();
        var reader = (await OpenStoreAsync(deleteEnabled, cacheCounters: readerCounters)).Repository(name);
        return (reader, writer, manifest.Bytes);
    }

    /// <summary>Always the same time: a folder aged twice looks unchanged, as after two changes in one clock tick.</summary>
    private void AgeTagsFolder()
    {
        var folder = Driver.LocalPath(RegistryPaths.Tags(RepositoryName.Parse("app")))!;
        Directory.SetLastWriteTimeUtc(folder, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }
}
