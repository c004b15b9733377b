using Berth.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>One redis-server for a test class; each test empties it first and connects as many "nodes" as it likes.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly List<RedisConnection> _connections = [];
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Empties every database, so the test starts from a Redis that knows nothing (catalog marker included).</summary>
    public Task FlushAsync() => Server.CliAsync(["FLUSHALL"], TestContext.Current.CancellationToken);

    /// <summary>A connection of its own, as a separate node has; closed with the fixture.</summary>
    public async Task<RedisConnection> ConnectAsync(RedisOptions? options = null)
    {
        var connection = await RedisConnection.ConnectAsync(options ?? new RedisOptions { Addresses = [Server.Address] }, NullLogger.Instance);
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

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
