using Berth.Core;
using Berth.Core.Immutability;
using Berth.Core.Manifests;
using Berth.Core.Patterns;
using Berth.Core.Retention;
using Berth.Core.Stores;
using Berth.Storage.Gc;
using Berth.Storage.Gc.Online;
using Berth.Storage.Layout;
using Berth.Storage.Retention;
using Berth.Storage.Stores;
using Berth.Storage.Tests.Gc;
using Berth.Storage.Tests.Helpers;

namespace Berth.Storage.Tests.Retention;

public sealed class FilesystemRetentionRunnerTests() : RetentionRunnerTests(Backend.Filesystem);

public sealed class InMemoryRetentionRunnerTests() : RetentionRunnerTests(Backend.InMemory);

/// <summary>
/// Retention against real stores: tags pushed at chosen times (the current link's modification time is the push
/// time on every driver), pulls recorded in the store, then the runner, then the collector.
/// </summary>
public abstract class RetentionRunnerTests(Backend backend) : GcTestBase(backend, clockedFiles: true)
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly RepositoryName App = RepositoryName.Parse("app");

    [Fact]
    public async Task Run_KeepTwoMostRecentlyPushed_RemovesTheOlderTagsAndManifests_ThenTheCollectorFreesTheirBlobs()
    {
        var store = await OpenStoreAsync(deleteEnabled: true, options: LockingTags());
        var images = Enumerable.Range(1, 4).Select(Image).ToList();
        var pushed = new List<StoredManifest>();
        for (var i = 0; i < 4; i++)
        {
            pushed.Add(await PushAtAsync(store, images[i], $"v{i + 1}", Now.AddDays(i - 4)));
        }

        var result = await RunAsync(store, Policies(Policy("**", deleteUntagged: true, deleteReferrers: false, KeepTags(pushedCount: 2))));

        var app = Assert.Single(result.Repositories);
        Assert.Equal(["v1", "v2"], app.Removed.Select(tag => tag.Value));
        Assert.Equal(new HashSet<Digest> { pushed[0].Digest, pushed[1].Digest }, app.Manifests.Select(manifest => manifest.Digest).ToHashSet());
        Assert.Equal(["v3", "v4"], await store.Repository(App).Tags.ListAsync(Ct));
        Assert.False(await RevisionExistsAsync("app", pushed[0].Digest));
        await CollectAsync();
        await AssertGoneAsync(OwnContent(images[0], pushed[0]));
        await AssertServedAsync("app", TagRef("v3"), pushed[2].Bytes.ToArray(), images[2].Blobs);
    }

    [Fact]
    public async Task Run_DryRun_LeavesStorageExactlyAsItWasAndReportsWhatItWouldDo()
    {
        var store = await OpenStoreAsync(options: LockingTags());
        var old = await PushAtAsync(store, Image(1), "old", Now.AddDays(-9));
        await PushAtAsync(store, Image(2), "new", Now.AddDays(-1));
        var before = await SnapshotAsync();

        var result = await RunAsync(store, Policies(Policy("**", true, false, KeepTags(pushedWithin: TimeSpan.FromDays(7)))), dryRun: true);

        Assert.Equal(before, await SnapshotAsync());
        Assert.True(result.DryRun);
        var app = Assert.Single(result.Repositories);
        Assert.Equal(["old"], app.Removed.Select(tag => tag.Value));
        Assert.Equal(new CleanedManifest(old.Digest, CleanupReason.Untagged, null), Assert.Single(app.Manifests));
    }

    [Fact]
    public async Task Run_ManifestAnotherTagStillNames_IsKept()
    {
        var store = await OpenStoreAsync(options: LockingTags());
        var image = Image(1);
        var stored = await PushAtAsync(store, image, "build-17", Now.AddDays(-30));
        await PushAtAsync(store, image, "stable", Now.AddDays(-30));

        var result = await RunAsync(store, Policies(Policy("**", true, false, KeepTags(patterns: ["^stable$"]))));

        Assert.Equal(["build-17"], Assert.Single(result.Repositories).Removed.Select(tag => tag.Value));
        Assert.Empty(result.Repositories[0].Manifests);
        Assert.True(await RevisionExistsAsync("app", stored.Digest));
    }

    [Fact]
    public async Task Run_DeleteUntaggedOff_RemovesTheTagAndLeavesTheManifest()
    {
        var store = await OpenStoreAsync(options: LockingTags());
        var old = await PushAtAsync(store, Image(1), "old", Now.AddDays(-9));

        var result = await RunAsync(store, Policies(Policy("**", deleteUntagged: false, deleteReferrers: false, KeepTags(pushedWithin: TimeSpan.FromDays(1)))));

        Assert.Single(result.Repositories[0].Removed);
        Assert.Empty(result.Repositories[0].Manifests);
        Assert.True(await RevisionExistsAsync("app", old.Digest));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_MultiArchIndexWithASignature_PlatformsGoWithItAndTheSignatureOnlyWithDeleteReferrers(bool deleteReferrers)
    {
        var store = await OpenStoreAsync(options: LockingTags());
        var repository = store.Repository(App);
        var amd64 = await PushImageAsync(repository, Image(1), tag: null);
        var arm64 = await PushImageAsync(repository, Image(2), tag: null);
        Time.Now = Now.AddDays(-9);
        var index = await repository.Manifests.PutAsync(TagRef("multi"), ManifestBuilder.Index(amd64.Bytes.ToArray(), arm64.Bytes.ToArray()), null, [], Ct);
        await StampPushAsync("multi", Now.AddDays(-9));
        var signature = await PushImageAsync(repository,
            Image(3).ArtifactType("application/vnd.example.signature").Subject(index.Digest, index.Bytes.Length, MediaTypes.OciIndex), tag: null);

        var result = await RunAsync(store, Policies(Policy("**", deleteUntagged: true, deleteReferrers, KeepTags(pushedWithin: TimeSpan.FromDays(1)))));

        var manifests = result.Repositories[0].Manifests.ToDictionary(manifest => manifest.Digest);
        Assert.Equal(CleanupReason.Untagged, manifests[index.Digest].Reason);
        Assert.Equal(new CleanedManifest(amd64.Digest, CleanupReason.ChildOfDeleted, index.Digest), manifests[amd64.Digest]);
        Assert.Equal(deleteReferrers, manifests.ContainsKey(signature.Digest));
        Assert.Equal(!deleteReferrers, await RevisionExistsAsync("app", signature.Digest));
        Assert.False(await RevisionExistsAsync("app", arm64.Digest));
    }

    [Fact]
    public async Task Run_PullsByTagOrByDigest_CountForMostRecentlyPulled()
    {
        var store = await OpenStoreAsync(options: LockingTags());
        var byDigest = await PushAtAsync(store, Image(1), "pulled-by-digest", Now.AddDays(-9));
        await PushAtAsync(store, Image(2), "pulled-by-tag", Now.AddDays(-9));
        await PushAtAsync(store, Image(3), "never-pulled", Now.AddDays(-1));
        using var pulls = new StoragePullTimes(Driver);
        await pulls.RecordAsync(App, new Dictionary<string, DateTimeOffset>
        {
            [byDigest.Digest.ToString()] = Now.AddHours(-1),
            ["pulled-by-tag"] = Now.AddHours(-2),
        }, Ct);

        var result = await RunAsync(store, Policies(Policy("**", true, false, KeepTags(pulledCount: 2))), pulls: pulls);

        Assert.Equal(["never-pulled"], result.Repositories[0].Removed.Select(tag => tag.Value));
        Assert.Equal(2, (await pulls.ReadAsync(App, Ct)).Count);
    }

    [Fact]
    public async Task Run_RemovedTagsPullTimes_AreForgotten()
    {
        var store = await OpenStoreAsync(options: LockingTags());
        var old = await PushAtAsync(store, Image(1), "old", Now.AddDays(-9));
        await PushAtAsync(store, Image(2), "new", Now.AddDays(-1));
        using var pulls = new StoragePullTimes(Driver);
        await pulls.RecordAsync(App, new Dictionary<string, DateTimeOffset>
        {
            ["old"] = Now.AddDays(-8), [old.Digest.ToString()] = Now.AddDays(-8), ["new"] = Now.AddHours(-1),
        }, Ct);

        await RunAsync(store, Policies(Policy("**", true, false, KeepTags(pushedCount: 1))), pulls: pulls);

        Assert.Equal(["new"], (await pulls.ReadAsync(App, Ct)).Keys);
    }

    [Fact]
    public async Task Run_ImmutableTagAndUncoveredRepository_AreLeftAlone()
    {
        Assert.True(RepositoryGlob.TryParse("app", out var app, out _));
        Assert.True(TagGlob.TryParse("v*", out var versions, out _));
        var immutable = new ImmutableTagRules([new ImmutableTagRule("storage.immutabletags.0", [app!], [versions!])]);
        var store = await OpenStoreAsync(options: LockingTags() with { ImmutableTags = immutable });
        await PushAtAsync(store, Image(1), "v1", Now.AddDays(-400));
        await PushImageAsync(store.Repository(RepositoryName.Parse("other")), Image(2), "old");

        var result = await RunAsync(store, Policies(Policy("app", true, true, KeepTags(pushedCount: 1, patterns: ["^nothing$"]))), immutable: immutable);

        Assert.False(result.Repositories.Single(repository => repository.Repository == App).Verdict.RemovesAny);
        Assert.Equal(RetentionReason.Immutable, result.Repositories[0].Verdict.Tags[0].Reason);
        var other = result.Repositories.Single(repository => repository.Repository.Value == "other");
        Assert.Null(other.Verdict.Policy);
        Assert.Equal(["old"], await store.Repository(RepositoryName.Parse("other")).Tags.ListAsync(Ct));
    }

    [Fact]
    public async Task Run_InsideAnOnlineCollection_TheRemovedImagesBlobsGoInTheSameCycle()
    {
        var barrier = new InProcessCollectionBarrier();
        var store = await OpenStoreAsync(barrier: barrier, options: LockingTags());
        var oldImage = Image(1);
        var old = await PushAtAsync(store, oldImage, "old", Now.AddDays(-9));
        var kept = await PushAtAsync(store, Image(2), "new", Now.AddDays(-1));
        // Two empty cycles first: the pushes' protection (their cycle and the next) runs out, as it does in a day of serving.
        // The system clock for grace: the filesystem stamps blobs with it, and grace is zero anyway.
        var collector = new OnlineCollector(Driver, barrier, TimeProvider.System);
        var options = new OnlineCollectionOptions(TimeSpan.Zero, DeleteUntagged: false);
        await collector.RunAsync(options, Ct);
        await collector.RunAsync(options, Ct);

        RetentionResult? retention = null;
        var collection = await collector.RunAsync(options,
            async (guard, token) => retention = await Runner(store, Policies(Policy("**", true, false, KeepTags(pushedCount: 1)))).RunAsync(false, guard, token),
            Ct);

        Assert.Equal(["old"], retention!.Repositories[0].Removed.Select(tag => tag.Value));
        Assert.Equal(1, retention.ManifestsDeleted);
        Assert.Equal(OwnContent(oldImage, old).Count, collection.BlobsDeleted);
        await AssertGoneAsync(OwnContent(oldImage, old));
        Assert.True(await BlobExistsAsync(kept.Digest));
    }

    [Fact]
    public async Task Run_InsideAnOnlineCollection_ManifestPushedInTheLastCycle_TagWaitsForALaterCollection()
    {
        var barrier = new InProcessCollectionBarrier();
        var store = await OpenStoreAsync(barrier: barrier, options: LockingTags());
        var old = await PushAtAsync(store, Image(1), "old", Now.AddDays(-9));
        await PushAtAsync(store, Image(2), "new", Now.AddDays(-1));
        var collector = new OnlineCollector(Driver, barrier, TimeProvider.System);
        var options = new OnlineCollectionOptions(TimeSpan.Zero, DeleteUntagged: false);
        var policies = Policies(Policy("**", true, false, KeepTags(pushedCount: 1)));
        var runs = new List<RetentionResult>();
        async Task Retain(IDeletionGuard guard, CancellationToken token) => runs.Add(await Runner(store, policies).RunAsync(false, guard, token));

        // The push protected its manifest for its cycle and the next: the first collection may not delete it, so the tag stays.
        await collector.RunAsync(options, Retain, Ct);
        Assert.Equal(["old"], runs[0].Repositories[0].Deferred.Select(tag => tag.Value));
        Assert.Empty(runs[0].Repositories[0].Removed);
        Assert.Equal(["new", "old"], await store.Repository(App).Tags.ListAsync(Ct));

        await collector.RunAsync(options, Retain, Ct);
        Assert.Equal(["old"], runs[1].Repositories[0].Removed.Select(tag => tag.Value));
        Assert.False(await RevisionExistsAsync("app", old.Digest));
    }

    /// <summary>The manifest and its layers: every test image shares one config blob, which stays while any image is kept.</summary>
    private static IReadOnlyList<Digest> OwnContent(ManifestBuilder image, StoredManifest manifest) =>
        [manifest.Digest, .. image.Blobs.Skip(1).Select(blob => Digest.Compute(blob))];

    private async Task AssertGoneAsync(IEnumerable<Digest> content)
    {
        foreach (var digest in content)
        {
            Assert.False(await BlobExistsAsync(digest), $"{digest} is still stored");
        }
    }

    private static StoreOptions LockingTags() => new() { LockTagWrites = true };

    private async Task<StoredManifest> PushAtAsync(RegistryStore store, ManifestBuilder image, string tag, DateTimeOffset at)
    {
        Time.Now = at;
        var stored = await PushImageAsync(store.Repository(App), image, tag);
        await StampPushAsync(tag, at);
        Time.Now = Now;
        return stored;
    }

    /// <summary>The filesystem stamps files with the system clock: set the link's time as the push would have.</summary>
    private Task StampPushAsync(string tag, DateTimeOffset at)
    {
        if (Driver.LocalPath(RegistryPaths.TagCurrentLink(App, Tag.Parse(tag))) is { } file)
        {
            File.SetLastWriteTimeUtc(file, at.UtcDateTime);
        }

        Time.Now = Now;
        return Task.CompletedTask;
    }

    private RetentionRunner Runner(RegistryStore store, RetentionPolicies policies, IPullTimeStore? pulls = null, ImmutableTagRules? immutable = null) =>
        new(new RetentionStorage(store, Driver, Driver, pulls ?? new StoragePullTimes(Driver)), policies, immutable ?? ImmutableTagRules.None, Time);

    private Task<RetentionResult> RunAsync(RegistryStore store, RetentionPolicies policies, bool dryRun = false, IPullTimeStore? pulls = null,
        ImmutableTagRules? immutable = null) =>
        Runner(store, policies, pulls, immutable).RunAsync(dryRun, DeletionGuards.Offline, Ct);

    private static RetentionPolicies Policies(params RetentionPolicy[] policies) => new(policies, dryRun: false);

    private static RetentionPolicy Policy(string repositories, bool deleteUntagged, bool deleteReferrers, params KeepTagsRule[] keepTags) =>
        new("storage.retention.policies.0", [RepositoryGlob.TryParse(repositories, out var glob, out _) ? glob! : throw new ArgumentException(repositories)],
            deleteUntagged, deleteReferrers, keepTags);

    private static KeepTagsRule KeepTags(string[]? patterns = null, int? pushedCount = null, int? pulledCount = null, TimeSpan? pushedWithin = null) =>
        new("storage.retention.policies.0.keeptags.0",
            [.. (patterns ?? []).Select(pattern => TagPattern.TryParse(pattern, out var parsed, out _) ? parsed! : throw new ArgumentException(pattern))],
            pushedCount, pulledCount, pushedWithin);
}
