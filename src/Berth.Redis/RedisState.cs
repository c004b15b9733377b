using Berth.Events;
using Berth.Storage.Drivers;
using Berth.Storage.Gc.Online;
using Berth.Storage.Retention;
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

    /// <summary>
    /// The endpoints' event queues in Redis, one stream per endpoint shared by every node, for
    /// <see cref="Notifications.Create"/>; see <see cref="RedisEventOutbox"/>.
    /// </summary>
    public static EventOutboxFactory EventOutboxes(RedisConnection redis, ILogger logger)
    {
        var leases = new RedisLeases(redis.Database);
        return (name, capacity) => new RedisEventOutbox(redis.Database, leases, name, capacity, logger);
    }

    /// <summary>
    /// The online garbage collector's barrier shared by every node (<see cref="RedisCollectionBarrier"/>), this node
    /// published once before it returns. Disposed with the state it is put in.
    /// </summary>
    public static async Task<ICollectionBarrier> CollectionBarrierAsync(RedisConnection redis, CancellationToken cancellationToken) =>
        await RedisCollectionBarrier.StartAsync(redis, cancellationToken);

    /// <summary>The last pull of each tag and digest, shared by every node, for retention (<see cref="RedisPullTimes"/>).</summary>
    public static IPullTimeStore PullTimes(RedisConnection redis) => new RedisPullTimes(redis.Database);

    /// <summary>Wraps the (already decorated) driver so link and blob-size reads come from Redis; see <see cref="RedisLinkCachingDriver"/>.</summary>
    /// <param name="counter">Counts the lookups in Redis, with metrics on.</param>
    public static IStorageDriver CacheLinks(IStorageDriver driver, RedisConnection redis, CacheCounter? counter = null) =>
        new RedisLinkCachingDriver(driver, redis, counter);
}
