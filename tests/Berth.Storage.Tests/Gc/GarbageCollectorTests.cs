using Berth.Core;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Gc;

public sealed class FilesystemGarbageCollectorTests() : GarbageCollectorTests(Backend.Filesystem);

public sealed class InMemoryGarbageCollectorTests() : GarbageCollectorTests(Backend.InMemory);

/// <summary>registry:2's collection without --delete-untagged: every manifest revision keeps what it references.</summary>
public abstract class GarbageCollectorTests(Backend backend) : GcTestBase(backend)
{
    [Fact]
    public async Task Collect_AfterRepositoryDeletion_SweepsItsContentAndKeepsWhatAnotherRepositoryShares()
    {
        var store = await OpenStoreAsync(deleteEnabled: true);
        var image = Image(1);
        var gone = await PushImageAsync(store.Repository(RepositoryName.Parse("gone")), image, "v1");
        var kept = await PushImageAsync(store.Repository(RepositoryName.Parse("kept")), image, "v1");
        Assert.NotNull(await store.DeleteRepositoryAsync(RepositoryName.Parse("gone"), Ct));
        Assert.True(await BlobExistsAsync(gone.Digest));

        var result = await CollectAsync();

        Assert.Empty(result.DeletedBlobs);
        Assert.Equal(ContentOf(image, kept).ToHashSet(), result.Marked);
        Assert.NotNull(await store.DeleteRepositoryAsync(RepositoryName.Parse("kept"), Ct));
        var second = await CollectAsync();
        Assert.Equal(ContentOf(image, kept).ToHashSet(), second.DeletedBlobs.ToHashSet());
    }

    [Fact]
    public async Task Collect_UnreferencedBlob_IsSweptAndTaggedImageKept()
    {
        var repository = await RepositoryAsync("app");
        var image = Image(1);
        var manifest = await PushImageAsync(repository, image, "v1");
        var orphan = await PushBlobAsync(repository, TestContent.Random(70, seed: 99));

        var result = await CollectAsync();

        Assert.Equal([orphan.Digest], result.DeletedBlobs);
        Assert.False(await BlobExistsAsync(orphan.Digest));
        foreach (var digest in ContentOf(image, manifest))
        {
            Assert.True(await BlobExistsAsync(digest), digest.ToString());
        }

        Assert.Equal(ContentOf(image, manifest).ToHashSet(), result.Marked);
        Assert.Null(await repository.Blobs.StatAsync(orphan.Digest, Ct));
    }

    [Fact]
    public async Task Collect_SimpleImage_ReportsInRegistryTwosWords()
    {
        var repository = await RepositoryAsync("team/app");
        var image = Image(1);
        var manifest = await PushImageAsync(repository, image, "v1");
        var orphan = await PushBlobAsync(repository, TestContent.Random(70, seed: 99));
        var (config, layer) = (Digest.Compute(image.Blobs[0]), Digest.Compute(image.Blobs[1]));

        await CollectAsync();

        Assert.Equal(
        [
            "team/app",
            $"team/app: marking manifest {manifest.Digest}",
            $"team/app: marking blob {config}",
            $"team/app: marking blob {layer}",
            "3 blobs marked, 1 blobs and 0 manifests eligible for deletion",
            $"blob eligible for deletion: {orphan.Digest}",
        ], Output);
    }

    [Fact]
    public async Task Collect_Quiet_WritesNothingAndSweepsTheSame()
    {
        var repository = await RepositoryAsync("team/app");
        var image = Image(1);
        var manifest = await PushImageAsync(repository, image, "v1");
        var orphan = await PushBlobAsync(repository, TestContent.Random(70, seed: 99));

        var result = await CollectAsync(quiet: true);

        Assert.Empty(Output);
        Assert.Equal([orphan.Digest], result.DeletedBlobs);
        Assert.False(await BlobExistsAsync(orphan.Digest));
        Assert.True(await BlobExistsAsync(manifest.Digest));
    }

    [Fact]
    public async Task Collect_BlobSharedBetweenRepositories_KeptWhileAnyRepositoryReferencesIt()
    {
        var shared = TestContent.Random(300, seed: 7);
        var (one, two) = (await RepositoryAsync("one"), await RepositoryAsync("two"));
        var first = await PushImageAsync(one, Image(1).Layer(shared), "v1");
        var second = await PushImageAsync(two, Image(2).Layer(shared), "v1");

        Assert.True(await one.Manifests.DeleteAsync(Reference.Of(first.Digest), Ct));
        var afterFirst = await CollectAsync();

        Assert.True(await BlobExistsAsync(Digest.Compute(shared)));
        Assert.Contains(first.Digest, afterFirst.DeletedBlobs);
        Assert.DoesNotContain(Digest.Compute(shared), afterFirst.DeletedBlobs);

        Assert.True(await two.Manifests.DeleteAsync(Reference.Of(second.Digest), Ct));
        var afterSecond = await CollectAsync();

        Assert.Contains(Digest.Compute(shared), afterSecond.DeletedBlobs);
        Assert.False(await BlobExistsAsync(Digest.Compute(shared)));
    }

    [Fact]
    public async Task Collect_ManifestDeletedThroughTheApi_ItsUniqueBlobsAreSwept()
    {
        var repository = await RepositoryAsync("app");
        var (doomedImage, keptImage) = (Image(1), Image(2));
        var doomed = await PushImageAsync(repository, doomedImage, "old");
        var kept = await PushImageAsync(repository, keptImage, "new");
        Assert.True(await repository.Manifests.DeleteAsync(Reference.Of(doomed.Digest), Ct));

        var result = await CollectAsync();

        // The config is the same in both images (ManifestBuilder's default), so only the manifest and layer go.
        Assert.Equal(new[] { doomed.Digest, Digest.Compute(doomedImage.Blobs[1]) }.Order(DigestOrder.Instance), result.DeletedBlobs);
        await AssertServedAsync("app", TagRef("new"), kept.Bytes.ToArray(), keptImage.Blobs);
    }

    [Fact]
    public async Task Collect_UntaggedManifestWithoutDeleteUntagged_IsKept()
    {
        var repository = await RepositoryAsync("app");
        var oldImage = Image(1);
        var old = await PushImageAsync(repository, oldImage, "v1");
        await PushImageAsync(repository, Image(2), "v1");

        var result = await CollectAsync();

        Assert.Empty(result.DeletedBlobs);
        Assert.Empty(result.DeletedManifests);
        await AssertServedAsync("app", Reference.Of(old.Digest), old.Bytes.ToArray(), oldImage.Blobs);
    }

    [Fact]
    public async Task Collect_DryRun_DeletesNothingAndReportsWhatARunDeletes()
    {
        var repository = await RepositoryAsync("app");
        await PushImageAsync(repository, Image(1), "v1");
        await PushImageAsync(repository, Image(2), "v1");
        await PushBlobAsync(repository, TestContent.Random(70, seed: 99));
        var before = await SnapshotAsync();

        var dry = await CollectAsync(dryRun: true, deleteUntagged: true);
        var dryOutput = Output;

        Assert.Equal(before, await SnapshotAsync());
        var real = await CollectAsync(deleteUntagged: true);
        Assert.Equal(dryOutput, Output);
        Assert.Equal(real.DeletedBlobs, dry.DeletedBlobs);
        Assert.Equal(real.DeletedManifests, dry.DeletedManifests);
        Assert.Equal(3, real.DeletedBlobs.Count);
        Assert.NotEqual(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Collect_UploadsAndLayerLinks_AreLeftAlone()
    {
        var repository = await RepositoryAsync("app");
        var orphan = await PushBlobAsync(repository, TestContent.Random(70, seed: 99));
        var upload = await repository.Uploads.StartAsync(Ct);
        await repository.Uploads.AppendAsync(upload.Id, TestContent.Stream([1, 2, 3]), null, Ct);
        var linkBefore = await SnapshotAsync();

        await CollectAsync();

        Assert.NotNull(await repository.Uploads.GetAsync(upload.Id, Ct));
        var remaining = await SnapshotAsync();
        Assert.Contains(remaining, file => file.Contains($"_layers/sha256/{orphan.Digest.Hex}/link", StringComparison.Ordinal));
        // One blob less; the storage used the collection wrote (_berth/usage.json) is Berth's own file, not the registry's.
        Assert.Equal(linkBefore.Count - 1, remaining.Count(file => !file.Contains("/_berth/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Collect_EmptyStorage_ReportsNothingToDo()
    {
        var result = await CollectAsync();

        Assert.Empty(result.Marked);
        Assert.Equal(["0 blobs marked, 0 blobs and 0 manifests eligible for deletion"], Output);
    }
}
