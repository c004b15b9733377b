using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.Storage.Tests.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>
/// Two nodes on one storage, each with its own Redis connection, state and link-caching driver on one Redis (one
/// server or a cluster): every acknowledged change is seen by the other node at its next request, the catalog included.
/// </summary>
public abstract class RedisCrossNode<TRedis>(TRedis redis) : CrossNodeConformanceTests, IClassFixture<TRedis>, IAsyncLifetime
    where TRedis : RedisFixtureBase
{
    private readonly TRedis _redis = redis;

    public async ValueTask InitializeAsync() => await _redis.FlushAsync();

    protected override async Task<(RegistryStore Store, IStorageDriver Driver)> StartNodeAsync()
    {
        var connection = await _redis.ConnectAsync();
        var driver = RedisState.CacheLinks(Storage, connection);
        var store = new RegistryStore(driver, new StoreOptions { DeleteEnabled = true }, TimeProvider.System,
            RedisState.Create(connection, NullLogger.Instance));
        await store.InitializeAsync(Ct);
        return (store, driver);
    }

    /// <summary>Nothing to wait for: the catalog is one sorted set every node reads.</summary>
    protected override Task LetCatalogCatchUpAsync(RegistryStore node) => Task.CompletedTask;
}
