using Berth.Storage.State;
using Berth.Storage.Tests.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>The state contract, kept in Redis (one server or a cluster).</summary>
public abstract class RedisStateConformance<TRedis>(TRedis redis) : RegistryStateConformanceTests, IClassFixture<TRedis>
    where TRedis : RedisFixtureBase
{
    protected override TimeSpan ShortLease => TimeSpan.FromSeconds(1);

    protected override async Task<RegistryState> CreateStateAsync()
    {
        await redis.FlushAsync();
        return RedisState.Create(await redis.ConnectAsync(), NullLogger.Instance);
    }

    /// <summary>Redis expires keys on its own clock: the test waits the time out (the behaviour under test, not a guess).</summary>
    protected override Task LetPassAsync(TimeSpan time) => Task.Delay(time, Ct);
}
