using Berth.Configuration;
using Berth.Events;
using Berth.Redis;
using Berth.Storage.Drivers;
using Berth.Storage.Gc.Online;
using Berth.Storage.Retention;
using Berth.Storage.State;
using Berth.Storage.Stores;

namespace Berth.Hosting;

/// <summary>
/// Chooses where the state several nodes share lives: in Redis when <c>redis</c> is configured, else in this process.
/// Without Redis nothing on the request path changes; with it the driver gains the link cache as its outermost
/// decorator (see <see cref="RedisLinkCachingDriver"/>).
/// </summary>
internal static partial class SharedState
{
    /// <summary>The connection when Redis is configured (Berth starts while it is down); null otherwise.</summary>
    public static async Task<RedisConnection?> ConnectAsync(RegistryConfiguration configuration, ILoggerFactory loggers)
    {
        if (configuration.Redis is not { } options)
        {
            return null;
        }

        var logger = loggers.CreateLogger("berth.redis");
        var redis = await RedisConnection.ConnectAsync(options, logger);
        var where = options.Describe();
        if (redis.IsConnected)
        {
            LogConnected(logger, where);
            await redis.CheckEvictionPolicyAsync();
        }
        else
        {
            LogNotConnected(logger, where);
        }

        return redis;
    }

    /// <summary>Whether the state has anything to log: with Redis, or with a catalog that re-reads storage.</summary>
    public static bool LogsAnything(RegistryConfiguration configuration) =>
        configuration.Redis is not null || CatalogRefresh(configuration) is not null;

    /// <summary>The driver the stores (and garbage collection) use: with Redis, behind the link cache.</summary>
    /// <param name="counter">Counts the link cache's lookups, with metrics on.</param>
    public static IStorageDriver Driver(IStorageDriver decorated, RedisConnection? redis, CacheCounter? counter = null) =>
        redis is null ? decorated : RedisState.CacheLinks(decorated, redis, counter);

    public static async Task<RegistryState> StateAsync(RegistryConfiguration configuration, RedisConnection? redis, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var state = redis is null
            ? RegistryState.InProcess(TimeProvider.System, CatalogRefresh(configuration), loggers.CreateLogger("berth.catalog"))
            : RedisState.Create(redis, loggers.CreateLogger("berth.redis"));
        // Requests record what the online collector must respect only when one runs: otherwise they record nothing.
        if (!configuration.Storage.Gc.Enabled)
        {
            return state;
        }

        return state with
        {
            Barrier = redis is null ? new InProcessCollectionBarrier() : await RedisState.CollectionBarrierAsync(redis, cancellationToken),
        };
    }

    /// <summary>
    /// Where the notification endpoints' queues live: with Redis, one stream per endpoint that every node shares (the
    /// events a store outbox still holds are moved there at start); without it null, an outbox in the store.
    /// </summary>
    public static EventOutboxFactory? EventOutboxes(RedisConnection? redis, ILoggerFactory loggers) =>
        redis is null ? null : RedisState.EventOutboxes(redis, loggers.CreateLogger("berth.notifications"));

    /// <summary>
    /// Where retention keeps the last pull of each tag: with Redis, a hash per repository every node shares; without it
    /// a small file per repository in the store, written through <paramref name="driver"/>.
    /// </summary>
    public static IPullTimeStore PullTimes(RedisConnection? redis, IStorageDriver driver) =>
        redis is null ? new StoragePullTimes(driver) : RedisState.PullTimes(redis);

    /// <summary>
    /// Without Redis, how often the catalog re-reads storage: <c>catalog.refreshinterval</c>, else every minute on an
    /// object store (several nodes may write it), else never (one node on a filesystem keeps it current itself).
    /// </summary>
    internal static TimeSpan? CatalogRefresh(RegistryConfiguration configuration) =>
        configuration.Listings.CatalogRefreshInterval
        ?? (configuration.Storage.ObjectStore is null ? null : RegistryState.DefaultCatalogRefresh);

    [LoggerMessage(Level = LogLevel.Information, Message = "redis: connected to {Redis}; the catalog, upload locks, link cache and event queues are shared there")]
    private static partial void LogConnected(ILogger logger, string redis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "redis: cannot connect to {Redis} yet; requests that need it answer 503 until it answers, and berth keeps trying")]
    private static partial void LogNotConnected(ILogger logger, string redis);
}
