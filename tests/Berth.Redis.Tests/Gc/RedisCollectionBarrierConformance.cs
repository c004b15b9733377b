using Berth.Storage.Gc.Online;
using Berth.Storage.Tests.Gc.Online;

namespace Berth.Redis.Tests.Gc;

/// <summary>
/// The barrier's rules (<see cref="CollectionBarrierConformanceTests"/>) with the state in Redis. Each test starts
/// from an empty Redis; every barrier made is a node of its own, stopped after the test.
/// </summary>
public abstract class RedisCollectionBarrierConformance<TRedis>(TRedis redis) : CollectionBarrierConformanceTests, IClassFixture<TRedis>, IAsyncLifetime
    where TRedis : RedisFixtureBase
{
    private readonly RedisNodes _nodes = new(redis);

    public ValueTask InitializeAsync() => _nodes.InitializeAsync();

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    protected override async Task<ICollectionBarrier> NewBarrierAsync() => await _nodes.StartAsync();
}

/// <summary>The protocol model with every client on a node of its own and the collector on another, sharing one Redis.</summary>
public abstract class RedisCollectionProtocolModel<TRedis>(TRedis redis) : CollectionProtocolModelTests, IClassFixture<TRedis>, IAsyncLifetime
    where TRedis : RedisFixtureBase
{
    private readonly RedisNodes _nodes = new(redis);

    // A new cycle waits for every node's next beat, so cycles come a few times a second, not thousands.
    protected override TimeSpan RunTime => TimeSpan.FromSeconds(6);

    protected override int MinimumCycles => 3;

    protected override int PoolSize => 200;

    protected override int ClientPauseMs => 30;

    public ValueTask InitializeAsync() => _nodes.InitializeAsync();

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    protected override async Task<(IReadOnlyList<ICollectionBarrier> Clients, ICollectionBarrier Collector)> NodesAsync(int clients)
    {
        var nodes = new List<ICollectionBarrier>();
        for (var i = 0; i < clients; i++)
        {
            nodes.Add(await _nodes.StartAsync());
        }

        return (nodes, await _nodes.StartAsync());
    }
}

/// <summary>Barriers started on their own connections to one Redis, emptied first, stopped at the end.</summary>
internal sealed class RedisNodes(RedisFixtureBase redis)
{
    private readonly List<RedisCollectionBarrier> _started = [];

    public async ValueTask InitializeAsync() => await redis.FlushAsync();

    public async Task<RedisCollectionBarrier> StartAsync()
    {
        var barrier = await RedisCollectionBarrier.StartAsync(await redis.ConnectAsync(), TestContext.Current.CancellationToken);
        _started.Add(barrier);
        return barrier;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var barrier in _started)
        {
            barrier.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class RedisCollectionBarrierTests(RedisFixture redis) : RedisCollectionBarrierConformance<RedisFixture>(redis);

public sealed class RedisClusterCollectionBarrierTests(RedisClusterFixture redis) : RedisCollectionBarrierConformance<RedisClusterFixture>(redis);

public sealed class RedisCollectionProtocolModelTests(RedisFixture redis) : RedisCollectionProtocolModel<RedisFixture>(redis);
