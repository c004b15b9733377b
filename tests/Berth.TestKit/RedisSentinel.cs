using System.Globalization;

namespace Berth.TestKit;

/// <summary>
/// One Redis master and one Sentinel watching it under <see cref="MasterName"/>, both on free ports: the smallest
/// Sentinel setup a client can be pointed at (<c>redis.addrs</c> = the Sentinel, <c>redis.mastername</c>).
/// </summary>
public sealed class RedisSentinel : IAsyncDisposable
{
    public const string MasterName = "berthmaster";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _folder;
    private readonly BackgroundProcess _sentinel;

    private RedisSentinel(RedisServer master, TempDirectory folder, BackgroundProcess sentinel, int port)
    {
        Master = master;
        _folder = folder;
        _sentinel = sentinel;
        Port = port;
    }

    public RedisServer Master { get; }

    public int Port { get; }

    /// <summary>The Sentinel's <c>127.0.0.1:PORT</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisSentinel> StartAsync(CancellationToken cancellationToken = default)
    {
        var master = await RedisServer.StartAsync(cancellationToken: cancellationToken);
        var folder = new TempDirectory("berth-sentinel");
        var port = FreePort.Next();
        // Sentinel rewrites its own file, so it gets one of its own in a writable folder.
        var config = folder.Combine("sentinel.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"port {port}", "bind 127.0.0.1", $"dir {folder.Path}",
            $"sentinel monitor {MasterName} 127.0.0.1 {master.Port} 1", $"sentinel down-after-milliseconds {MasterName} 5000", ""), cancellationToken);
        var sentinel = BackgroundProcess.Start(Tools.Require("redis-sentinel", "redis-sentinel"), [config]);
        var setup = new RedisSentinel(master, folder, sentinel, port);
        await Readiness.WaitAsync(sentinel, "redis-sentinel", StartTimeout, async ct =>
            (await setup.CliAsync(["SENTINEL", "get-master-addr-by-name", MasterName], ct)).Contains(master.Port.ToString(CultureInfo.InvariantCulture),
                StringComparison.Ordinal), cancellationToken);
        return setup;
    }

    public async Task<string> CliAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        var result = await CommandRunner.RunAsync(Tools.Require("redis-cli", "redis-tools"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. command], cancellationToken: cancellationToken);
        return result.StandardOutput;
    }

    public async ValueTask DisposeAsync()
    {
        await _sentinel.DisposeAsync();
        await Master.DisposeAsync();
        _folder.Dispose();
    }
}
