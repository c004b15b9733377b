using Berth.Storage.Drivers;
using Berth.Storage.State;
using Berth.Storage.Stores;
using Microsoft.Extensions.Logging;

namespace Berth.Redis;

/// <summary>What a node builds when <c>redis</c> is configured: the shared state and the link-caching driver.</summary>
public static class RedisState
{
    /// <summary>The catalog, upload locks and leases in Redis. The connection stays the caller's.</summary>
    public static RegistryState Create(RedisConnection redis, ILogger logger)
    {
        var leases = new RedisLeases(redis.Database);
        var catalog = new RedisCatalogIndex(redis.Database, leases, logger, redis.Subscriber);
        redis.OnRestored(catalog.ForgetKnown);
        return new RegistryState(catalog, new RedisSessionLocks(leases), leases);
    }

    /// <summary>Wraps the (already decorated) driver so link and blob-size reads come from Redis; see <see cref="RedisLinkCachingDriver"/>.</summary>
    /// <param name="counter">Counts the lookups in Redis, with metrics on.</param>
    public static IStorageDriver CacheLinks(IStorageDriver driver, RedisConnection redis, CacheCounter? counter = null) =>
        new RedisLinkCachingDriver(driver, redis, counter);
}
