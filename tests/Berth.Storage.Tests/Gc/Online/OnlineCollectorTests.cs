using Berth.Core;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Storage.Gc.Online;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Gc.Online;

public sealed class FilesystemOnlineCollectorTests() : OnlineCollectorTests(Backend.Filesystem);

public sealed class InMemoryOnlineCollectorTests() : OnlineCollectorTests(Backend.InMemory);

/// <summary>
/// The online collector against real stores whose requests take tickets from the same barrier: it collects what
/// the offline collector would, except what requests protected lately or what grace keeps.
/// </summary>
public abstract class OnlineCollectorTests(Backend backend) : GcTestBase(backend)
{
    private static readonly OnlineCollectionOptions NoGrace = new(TimeSpan.Zero, DeleteUntagged: false);
    private readonly InProcessCollectionBarrier _barrier = new();

    [Fact]
    public async Task Run_UnreferencedBlobNobodyTouched_DeletedAndCounted()
    {
        var repository = await OnlineRepositoryAsync("app");
        var image = Image(1);
        var manifest = await PushImageAsync(repository, image, "v1");
        var orphanContent = TestContent.Random(70, seed: 99);
        var orphan = await PushBlobAsync(repository, orphanContent);

        // The upload protected the orphan in its cycle (0, before any collection) and the next: the first collection
        // (cycle 1) keeps it, the second deletes it.
        var first = await CollectOnlineAsync(NoGrace);
        Assert.Equal((0, 1), (first.BlobsDeleted, first.KeptProtected));
        var second = await CollectOnlineAsync(NoGrace);

        Assert.Equal((1, orphanContent.Length), (second.BlobsDeleted, second.BytesDeleted));
        Assert.Equal(3, second.Marked);
        Assert.False(await BlobExistsAsync(orphan.Digest));
        await AssertServedAsync("app", TagRef("v1"), manifest.Bytes.ToArray(), image.Blobs);
    }

    [Fact]
    public async Task Run_BlobConfirmedByHead_KeptThroughTheNextCollection()
    {
        var repository = await OnlineRepositoryAsync("app");
        var orphan = await PushBlobAsync(repository, TestContent.Random(70, seed: 5));
        Assert.Equal(0, (await CollectOnlineAsync(NoGrace)).BlobsDeleted);

        // In cycle 1 a client asks whether the blob exists, as before pushing a manifest that names it: without
        // that, the next collection would delete it (see above); with it, it stays until the manifest comes.
        Assert.NotNull(await repository.Blobs.StatAsync(orphan.Digest, Ct));
        Assert.Equal(0, (await CollectOnlineAsync(NoGrace)).BlobsDeleted);
        Assert.True(await BlobExistsAsync(orphan.Digest));

        var image = new ManifestBuilder().Layer(TestContent.Random(70, seed: 5));
        await PushImageAsync(repository, image, "v1");
        for (var i = 0; i < 3; i++)
        {
            await CollectOnlineAsync(NoGrace);
        }

        Assert.True(await BlobExistsAsync(orphan.Digest), "collected although a manifest names it");
    }

    [Fact]
    public async Task Run_Grace_KeepsYoungUnreferencedContent()
    {
        var repository = await OnlineRepositoryAsync("app");
        var orphan = await PushBlobAsync(repository, TestContent.Random(70, seed: 7));
        var options = NoGrace with { Grace = TimeSpan.FromHours(1) };
        for (var i = 0; i < 3; i++)
        {
            await CollectOnlineAsync(options);
        }

        var last = await CollectOnlineAsync(options);
        Assert.Equal((0, 1), (last.BlobsDeleted, last.KeptYoung));
        Assert.True(await BlobExistsAsync(orphan.Digest));
    }

    [Fact]
    public async Task Run_DeleteUntagged_RemovesUntaggedManifestAndThenItsContent()
    {
        var repository = await OnlineRepositoryAsync("app");
        var kept = await PushImageAsync(repository, Image(1), "v1");
        var untagged = await PushImageAsync(repository, Image(2), tag: null);
        var options = NoGrace with { DeleteUntagged = true };

        var first = await CollectOnlineAsync(options);
        Assert.Equal(0, first.ManifestsRemoved);
        var second = await CollectOnlineAsync(options);

        Assert.Equal(1, second.ManifestsRemoved);
        Assert.False(await RevisionExistsAsync("app", untagged.Digest));
        Assert.True(await RevisionExistsAsync("app", kept.Digest));
        // Its layer and the manifest's content went in the same sweep; the config is shared with the kept image.
        Assert.False(await BlobExistsAsync(untagged.Digest));
        Assert.True(await BlobExistsAsync(kept.Digest));
    }

    [Fact]
    public async Task Run_UploadCommitWhileCondemned_ContentWrittenAgainAfterTheDeletion()
    {
        var repository = await OnlineRepositoryAsync("app");
        var content = TestContent.Random(70, seed: 11);
        var digest = Digest.Compute(content);
        var cycle = await _barrier.StartCycleAsync(Ct);
        Assert.True(await _barrier.TryCondemnAsync(digest, cycle, Ct));

        var upload = PushBlobAsync(repository, content);
        await Task.Delay(100, Ct);
        Assert.False(upload.IsCompleted, "the commit did not wait for the deletion in progress");
        await _barrier.ReleaseAsync(digest, Ct);
        await upload.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await _barrier.EndCycleAsync(cycle, Ct);

        Assert.True(await BlobExistsAsync(digest));
        Assert.NotNull(await repository.Blobs.StatAsync(digest, Ct));
    }

    [Fact]
    public async Task ManifestPut_NamingACondemnedBlob_ManifestBlobUnknownAndNothingWritten()
    {
        var repository = await OnlineRepositoryAsync("app");
        var image = Image(3);
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(repository, blob);
        }

        // Two cycles later the uploads' protection is over, and the collector condemns the layer.
        for (var i = 0; i < 2; i++)
        {
            await _barrier.EndCycleAsync(await _barrier.StartCycleAsync(Ct), Ct);
        }

        var cycle = await _barrier.StartCycleAsync(Ct);
        var layer = Digest.Compute(image.Blobs[^1]);
        Assert.True(await _barrier.TryCondemnAsync(layer, cycle, Ct));

        var bytes = image.Build();
        var refused = await Assert.ThrowsAsync<RegistryException>(() => repository.Manifests.PutAsync(TagRef("v1"), bytes, null, [], Ct));
        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, refused.Code);
        Assert.Contains(layer.ToString(), refused.Detail, StringComparison.Ordinal);
        Assert.Null(await repository.Manifests.GetAsync(TagRef("v1"), Ct));
        await _barrier.ReleaseAsync(layer, Ct);
    }

    private async Task<IRepository> OnlineRepositoryAsync(string name) =>
        (await OpenStoreAsync(deleteEnabled: true, barrier: _barrier)).Repository(RepositoryName.Parse(name));

    private Task<OnlineCollectionResult> CollectOnlineAsync(OnlineCollectionOptions options) =>
        new OnlineCollector(Driver, _barrier, TimeProvider.System).RunAsync(options, Ct);
}
