using Berth.Storage.Drivers;
using Berth.Storage.Tests.Drivers;

namespace Berth.Redis.Tests;

/// <summary>
/// The link-caching driver keeps every promise of a driver (over the in-memory driver, on a real Redis: one server or
/// a cluster).
/// </summary>
public abstract class CachingDriverConformance<TRedis>(TRedis redis) : StorageDriverConformanceTests, IClassFixture<TRedis>
    where TRedis : RedisFixtureBase
{
    private readonly RedisConnection _connection = redis.ConnectAsync().GetAwaiter().GetResult();

    protected override IStorageDriver CreateDriver() => new RedisLinkCachingDriver(new InMemoryDriver(), _connection);
}
