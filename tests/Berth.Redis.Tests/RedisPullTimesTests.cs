using Berth.Core;
using Berth.Storage.Retention;
using Berth.Storage.Tests.Retention;

namespace Berth.Redis.Tests;

/// <summary>Pull times in one redis-server: the suite the store's file passes, and two nodes flushing into one hash.</summary>
public sealed class RedisPullTimesTests(RedisFixture redis) : PullTimeStoreConformanceTests, IClassFixture<RedisFixture>
{
    protected override async Task<IPullTimeStore> CreateAsync(params RepositoryName[] repositories)
    {
        await redis.FlushAsync();
        return RedisState.PullTimes(await redis.ConnectAsync());
    }

    [Fact]
    public async Task Record_TwoNodes_EachSeesTheOthersPulls()
    {
        var app = RepositoryName.Parse("app");
        var first = await CreateAsync(app);
        var second = RedisState.PullTimes(await redis.ConnectAsync());

        await first.RecordAsync(app, Pulls(("v1", Noon)), Ct);
        await second.RecordAsync(app, Pulls(("v1", Noon.AddMinutes(-5)), ("v2", Noon)), Ct);

        var seen = await first.ReadAsync(app, Ct);
        Assert.Equal(Noon, seen["v1"]);
        Assert.Equal(Noon, seen["v2"]);
    }
}
