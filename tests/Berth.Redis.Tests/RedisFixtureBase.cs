using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>
/// A Redis for a test class, one server or a cluster; each test empties it first and connects as many "nodes" as it
/// likes. The suites that run against both take the fixture as a type parameter.
/// </summary>
public abstract class RedisFixtureBase : IAsyncLifetime
{
    private readonly List<RedisConnection> _connections = [];

    /// <summary>What <c>redis.addrs</c> lists for this Redis.</summary>
    public abstract IReadOnlyList<string> Addresses { get; }

    public abstract ValueTask InitializeAsync();

    /// <summary>Empties every database on every node, so the test starts from a Redis that knows nothing (catalog marker included).</summary>
    public abstract Task FlushAsync();

    /// <summary>A connection of its own, as a separate node has; closed with the fixture.</summary>
    public async Task<RedisConnection> ConnectAsync(RedisOptions? options = null)
    {
        var connection = await RedisConnection.ConnectAsync(options ?? new RedisOptions { Addresses = Addresses }, NullLogger.Instance);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await StopAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract ValueTask StopAsync();
}
