using Berth.TestKit;

namespace Berth.Redis.Tests;

/// <summary>A three-master Redis Cluster for a test class, connected to with all three addresses.</summary>
public sealed class RedisClusterFixture : RedisFixtureBase
{
    private RedisCluster? _cluster;

    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public override IReadOnlyList<string> Addresses => Cluster.Addresses;

    public override async ValueTask InitializeAsync() => _cluster = await RedisCluster.StartAsync(TestContext.Current.CancellationToken);

    public override Task FlushAsync() => Cluster.CliOnEachAsync(["FLUSHALL"], TestContext.Current.CancellationToken);

    protected override async ValueTask StopAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
