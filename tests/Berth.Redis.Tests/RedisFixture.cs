using Berth.TestKit;

namespace Berth.Redis.Tests;

/// <summary>One redis-server for a test class.</summary>
public sealed class RedisFixture : RedisFixtureBase
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("not started");

    public override IReadOnlyList<string> Addresses => [Server.Address];

    public override async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public override Task FlushAsync() => Server.CliAsync(["FLUSHALL"], TestContext.Current.CancellationToken);

    protected override async ValueTask StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
