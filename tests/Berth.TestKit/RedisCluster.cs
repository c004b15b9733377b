using System.Globalization;

namespace Berth.TestKit;

/// <summary>
/// The smallest Redis Cluster: three <see cref="RedisServer"/> masters on free ports, no replicas, the 16384 slots
/// split between them by <c>redis-cli --cluster create</c>. A client is pointed at it as registry:3 is, with all three
/// addresses in <c>redis.addrs</c>.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private const int Size = 3;
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _folder;

    private RedisCluster(TempDirectory folder, IReadOnlyList<RedisServer> masters)
    {
        _folder = folder;
        Masters = masters;
    }

    public IReadOnlyList<RedisServer> Masters { get; }

    /// <summary>Every master's <c>127.0.0.1:PORT</c>, as <c>redis.addrs</c> takes them.</summary>
    public IReadOnlyList<string> Addresses => [.. Masters.Select(master => master.Address)];

    public static async Task<RedisCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        var folder = new TempDirectory("berth-cluster");
        var masters = new List<RedisServer>();
        var cluster = new RedisCluster(folder, masters);
        try
        {
            for (var n = 1; n <= Size; n++)
            {
                // The bus port is the client port + 10000 unless set, which is past 65535 for a high free port.
                masters.Add(await RedisServer.StartAsync(extraArguments:
                [
                    "--cluster-enabled", "yes", "--cluster-config-file", folder.Combine($"nodes-{n}.conf"),
                    "--cluster-port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
                    // A stopped master is marked failed (cluster_state:fail) after this, rather than the default 15 s.
                    "--cluster-node-timeout", "5000",
                ], cancellationToken: cancellationToken));
            }

            await CommandRunner.RunCheckedAsync(Tools.Require("redis-cli", "redis-tools"),
                ["--cluster", "create", .. cluster.Addresses, "--cluster-replicas", "0", "--cluster-yes"], cancellationToken: cancellationToken);
            // Every node, not only the first: a client may ask any of them for the slot map.
            await Readiness.WaitUntilAsync(async () => (await cluster.CliOnEachAsync(["CLUSTER", "INFO"], cancellationToken))
                .All(info => info.Contains("cluster_state:ok", StringComparison.Ordinal)), FormTimeout, "cluster_state:ok on every node", cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs redis-cli against every master: FLUSHALL, DBSIZE and the like, which each node answers for its own slots.</summary>
    public async Task<IReadOnlyList<string>> CliOnEachAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(Masters.Select(master => master.CliAsync(command, cancellationToken)));

    public async ValueTask DisposeAsync()
    {
        foreach (var master in Masters)
        {
            await master.DisposeAsync();
        }

        _folder.Dispose();
    }
}
