using Berth.Core;
using Berth.Storage.Gc.Online;
using Berth.Storage.Tests.Gc;
using Berth.Storage.Tests.Helpers;
using Berth.Storage.Usage;

namespace Berth.Storage.Tests.Usage;

public sealed class FilesystemCollectionUsageTests() : CollectionUsageTests(Backend.Filesystem);

public sealed class InMemoryCollectionUsageTests() : CollectionUsageTests(Backend.InMemory);

/// <summary>Storage used as each mark counts it and writes it: offline, online, and the scan without collecting.</summary>
public abstract class CollectionUsageTests(Backend backend) : GcTestBase(backend)
{
    private readonly byte[] _base = TestContent.Random(4000, seed: 1);
    private readonly byte[] _ownLayer = TestContent.Random(300, seed: 2);

    [Fact]
    public async Task Collect_ImagesSharingALayerInTwoRepositories_WritesUniqueAndSharedBytes()
    {
        var expected = await PushTwoImagesAsync();

        var result = await CollectAsync();

        AssertFigures(expected, result.Usage);
        AssertFigures(expected, await new UsageStore(Driver).ReadAsync(Ct));
    }

    [Fact]
    public async Task Collect_DryRun_ComputesButWritesNothing()
    {
        var expected = await PushTwoImagesAsync();

        var result = await CollectAsync(dryRun: true);

        AssertFigures(expected, result.Usage);
        Assert.Null(await new UsageStore(Driver).ReadAsync(Ct));
    }

    [Fact]
    public async Task Collect_DeleteUntagged_CountsOnlyWhatStays()
    {
        var repository = await RepositoryAsync("app");
        var old = await PushImageAsync(repository, new ManifestBuilder().Layer(_ownLayer), "v1");
        var current = await PushImageAsync(repository, new ManifestBuilder().Layer(_base), "v1");

        var result = await CollectAsync(deleteUntagged: true);

        var app = Assert.Single(result.Usage.Repositories);
        Assert.Equal(current.Bytes.Length + _base.Length + new ManifestBuilder().ConfigBytes.Length, app.UniqueBytes);
        Assert.NotEqual(old.Digest, current.Digest);
    }

    [Fact]
    public async Task OnlineCollection_And_Scan_WriteTheSameFigures()
    {
        var expected = await PushTwoImagesAsync();

        var online = await new OnlineCollector(Driver, new InProcessCollectionBarrier(), Time).RunAsync(new OnlineCollectionOptions(TimeSpan.Zero, false), Ct);
        AssertFigures(expected, online.Usage);
        Assert.Equal(Time.Now, (await new UsageStore(Driver).ReadAsync(Ct))?.ComputedAt);

        Time.Now += TimeSpan.FromHours(1);
        var scanned = await new UsageScanner(Driver, Time).ScanAsync(Ct);
        AssertFigures(expected, scanned);
        AssertFigures(expected, await new UsageStore(Driver).ReadAsync(Ct));
        Assert.Equal(Time.Now, (await new UsageStore(Driver).ReadAsync(Ct))?.ComputedAt);
    }

    /// <summary>
    /// <c>first</c>: config, the shared base layer, its own layer; <c>second</c>: another config and the base layer twice
    /// (two tags of one image, and the base as its only layer), so a blob used twice in one repository counts once.
    /// </summary>
    private async Task<Expected> PushTwoImagesAsync()
    {
        var store = await OpenStoreAsync(deleteEnabled: true);
        var firstImage = new ManifestBuilder().Config(TestContent.Random(50, seed: 3)).Layer(_base).Layer(_ownLayer);
        var secondImage = new ManifestBuilder().Config(TestContent.Random(60, seed: 4)).Layer(_base);
        var first = await PushImageAsync(store.Repository(RepositoryName.Parse("first")), firstImage, "v1");
        var second = await PushImageAsync(store.Repository(RepositoryName.Parse("second")), secondImage, "v1");
        await PushImageAsync(store.Repository(RepositoryName.Parse("second")), secondImage, "v2");
        var firstUnique = first.Bytes.Length + 50 + _ownLayer.Length;
        var secondUnique = second.Bytes.Length + 60;
        return new Expected(firstUnique, secondUnique, _base.Length, firstUnique + secondUnique + _base.Length);
    }

    private static void AssertFigures(Expected expected, StorageUsage? usage)
    {
        Assert.NotNull(usage);
        Assert.Equal([new(RepositoryName.Parse("first"), expected.FirstUnique, expected.Shared), new(RepositoryName.Parse("second"), expected.SecondUnique, expected.Shared)],
            usage.Repositories);
        Assert.Equal(expected.InUse, usage.BytesInUse);
        Assert.Equal(6, usage.BlobsInUse);
    }

    private sealed record Expected(long FirstUnique, long SecondUnique, long Shared, long InUse);
}
