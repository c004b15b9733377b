using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.Tests.Helpers;
using Berth.Storage.Usage;

namespace Berth.Storage.Tests.Usage;

public sealed class StorageUsageTests
{
    private static readonly DateTimeOffset Computed = new(2026, 12, 1, 10, 0, 0, 123, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteThenRead_TheSameFigures()
    {
        var usage = new StorageUsage(Computed, 5000, 7, [Row("team/b", 100, 4000), Row("team/a", 900, 4000)]);
        var store = new UsageStore(new InMemoryDriver());

        await store.WriteAsync(usage, Ct);
        var read = await store.ReadAsync(Ct);

        Assert.NotNull(read);
        Assert.Equal(Computed, read.ComputedAt);
        Assert.Equal(5000, read.BytesInUse);
        Assert.Equal(7, read.BlobsInUse);
        Assert.Equal([Row("team/a", 900, 4000), Row("team/b", 100, 4000)], read.Repositories);
        Assert.Equal(Row("team/b", 100, 4000), read.Find(RepositoryName.Parse("team/b")));
        Assert.Null(read.Find(RepositoryName.Parse("team/c")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"version\":1}")]
    [InlineData("{\"version\":2,\"computedAt\":\"2026-12-01T10:00:00Z\",\"bytesInUse\":1,\"blobsInUse\":1,\"repositories\":[]}")]
    [InlineData("{\"version\":1,\"computedAt\":\"2026-12-01T10:00:00Z\",\"bytesInUse\":1,\"blobsInUse\":1,\"repositories\":[{\"name\":\"../x\",\"unique\":1,\"shared\":0}]}")]
    public void Parse_NoFiguresBerthWrote_Null(string json)
    {
        Assert.Null(StorageUsage.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public async Task Cache_FileReplacedByAnotherNode_SeenAfterTheRecheckWaitNotBefore()
    {
        var driver = new InMemoryDriver();
        var time = new FixedTimeProvider(Computed);
        var store = new UsageStore(driver);
        var cache = new UsageCache(store, time);
        Assert.Null(await cache.CurrentAsync(Ct));

        await store.WriteAsync(new StorageUsage(Computed, 10, 1, [Row("app", 10, 0)]), Ct);
        Assert.Null(await cache.CurrentAsync(Ct));
        time.Now += UsageCache.RecheckAfter;
        Assert.Equal(10, (await cache.CurrentAsync(Ct))?.BytesInUse);

        await store.WriteAsync(new StorageUsage(Computed.AddHours(1), 30, 2, [Row("app", 10, 0), Row("other/app", 20, 0)]), Ct);
        time.Now += UsageCache.RecheckAfter;
        Assert.Equal(Row("other/app", 20, 0), await cache.RepositoryAsync(RepositoryName.Parse("other/app"), Ct));
        Assert.Equal(30, cache.Latest?.BytesInUse);
    }

    [Fact]
    public async Task Cache_Published_ServedAtOnceAndAnOlderPublicationIgnored()
    {
        var cache = new UsageCache(new UsageStore(new InMemoryDriver()), new FixedTimeProvider(Computed));

        cache.Publish(new StorageUsage(Computed, 10, 1, []));
        cache.Publish(new StorageUsage(Computed.AddMinutes(-1), 99, 1, []));

        Assert.Equal(10, (await cache.CurrentAsync(Ct))?.BytesInUse);
    }

    [Fact]
    public void Path_IsBerthsOwnFolder()
    {
        Assert.Equal("/docker/registry/v2/_berth/usage.json", BerthPaths.Usage.ToString());
    }

    private static RepositoryUsage Row(string name, long unique, long shared) => new(RepositoryName.Parse(name), unique, shared);
}
