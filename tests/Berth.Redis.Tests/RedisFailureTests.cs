using System.Diagnostics;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests;

/// <summary>
/// Redis going away mid-life: a prompt 503 (never a hang), and recovery without a restart when it returns. The event
/// queue's part is in <c>RedisFailureTests.Events.cs</c>.
/// </summary>
public sealed partial class RedisFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);
    private RedisServer? _server;
    private RedisConnection? _connection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync(cancellationToken: Ct);
        _connection = await RedisConnection.ConnectAsync(new RedisOptions { Addresses = [_server.Address] }, NullLogger.Instance);
    }

    [Fact]
    public async Task Request_RedisStopped_ServiceUnavailableWithinSecondsThenServedAgainWhenItReturns()
    {
        using var store = new RegistryStore(RedisState.CacheLinks(new InMemoryDriver(), _connection!), new StoreOptions(), TimeProvider.System,
            RedisState.Create(_connection!, NullLogger.Instance));
        await store.InitializeAsync(Ct);
        var repository = store.Repository(RepositoryName.Parse("app"));
        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(Tag.Parse("latest")), Ct));

        await _server!.StopAsync();
        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<ServiceUnavailableException>(() => repository.Manifests.GetAsync(Reference.Of(Tag.Parse("latest")), Ct));
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        Assert.Equal("redis", failure.Service);
        Assert.StartsWith("redis unavailable: no connection to Redis", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => store.Catalog.PageAsync(null, 10, Ct).AsTask());
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => _connection!.PingAsync());

        await _server.StartAgainAsync(Ct);
        await WaitUntilAsync(() => Probe.PassesAsync(_connection!));

        Assert.Null(await repository.Manifests.GetAsync(Reference.Of(Tag.Parse("latest")), Ct));
        Assert.Empty((await store.Catalog.PageAsync(null, 10, Ct)).Names);
    }

    [Fact]
    public async Task Lookup_RedisStopped_CountedAMissAndTheReadFails()
    {
        var counter = new CacheCounter("links");
        var driver = RedisState.CacheLinks(new InMemoryDriver(), _connection!, counter);
        var link = Berth.Storage.Layout.RegistryPaths.TagCurrentLink(RepositoryName.Parse("app"), Tag.Parse("latest"));

        await _server!.StopAsync();

        await Assert.ThrowsAsync<ServiceUnavailableException>(() => driver.ReadAllAsync(link, Ct));
        Assert.Equal((0L, 1L), (counter.Hits, counter.Misses));
    }

    [Fact]
    public async Task Connect_RedisDownAtStart_ReturnsAndConnectsWhenItComes()
    {
        await _server!.StopAsync();
        var clock = Stopwatch.StartNew();
        await using var late = await RedisConnection.ConnectAsync(new RedisOptions { Addresses = [_server.Address] }, NullLogger.Instance);
        Assert.True(clock.Elapsed < RedisOptions.DefaultDialTimeout * 3, $"took {clock.Elapsed}");
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => late.PingAsync());

        await _server.StartAgainAsync(Ct);

        await WaitUntilAsync(() => Probe.PassesAsync(late));
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Polls the background reconnect (0.5 s to 5 s apart), or what follows it, for up to 30 s.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what = "Redis reconnected")
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"not within 30 s: {what}");
            await Task.Delay(100, Ct);
        }
    }
}
