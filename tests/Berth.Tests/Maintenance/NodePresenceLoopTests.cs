using Berth.Hosting;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.Nodes;
using Berth.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Berth.Tests.Maintenance;

/// <summary>The loop that keeps a serving node's presence record: announce, beat, withdraw, and survive a failing store.</summary>
public sealed class NodePresenceLoopTests
{
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(10);
    private readonly ManualTimers _time = new();
    private readonly InMemoryDriver _driver = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NodePresence Presence => new("n1", "host", 42, _time.GetUtcNow(), _time.GetUtcNow(), Beat, TakesPushes: true, CollectsOnline: false);

    [Fact]
    public async Task RunAsync_EveryBeat_RewritesLastBeat_WithdrawRemovesTheRecord()
    {
        var started = _time.GetUtcNow();
        var loop = new NodePresenceLoop(new NodePresenceStore(_driver), Presence, NullLogger.Instance, _time);
        await loop.AnnounceAsync(Ct);
        using var stopping = new CancellationTokenSource();
        var running = loop.RunAsync(stopping.Token);

        _time.Advance(Beat);
        await UntilLastBeatAsync(started + Beat);
        _time.Advance(Beat);
        await UntilLastBeatAsync(started + (2 * Beat));
        await stopping.CancelAsync();
        await running;
        await loop.WithdrawAsync(Ct);

        Assert.Null(await _driver.StatAsync(BerthPaths.Node("n1"), Ct));
    }

    [Fact]
    public async Task AnnounceAsync_StoreFails_LogsAndServingGoesOn()
    {
        var loop = new NodePresenceLoop(new NodePresenceStore(new FailingDriver()), Presence, NullLogger.Instance, _time);

        await loop.AnnounceAsync(Ct);
        await loop.WithdrawAsync(Ct);
    }

    [Theory]
    [InlineData(null, 10_000)]
    [InlineData("250ms", 250)]
    [InlineData("nonsense", 10_000)]
    [InlineData("0s", 10_000)]
    public void BeatInterval_HiddenVariable_OnlyAPositiveDurationCounts(string? text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), NodePresenceLoop.BeatInterval(text));

    /// <summary>The beat is written by the loop's continuation, which may run on another thread: wait for it.</summary>
    private async Task UntilLastBeatAsync(DateTimeOffset expected)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(10, Ct))
        {
            if (await _driver.ReadAllAsync(BerthPaths.Node("n1"), Ct) is { } bytes && NodePresence.Parse(bytes)?.LastBeat == expected)
            {
                return;
            }
        }

        Assert.Fail($"no beat at {expected:O}");
    }

    /// <summary>A store that fails every call, as an object store does when it is unreachable.</summary>
    private sealed class FailingDriver : IStorageDriver
    {
        public Task<StorageEntry?> StatAsync(StoragePath path, CancellationToken cancellationToken) => throw new IOException("unreachable");

        public Task<Stream?> OpenReadAsync(StoragePath path, long offset, CancellationToken cancellationToken) => throw new IOException("unreachable");

        public Task<byte[]?> ReadAllAsync(StoragePath path, CancellationToken cancellationToken) => throw new IOException("unreachable");

        public Task WriteAllAsync(StoragePath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("an SDK's own exception");

        public Task<IStorageWriter> OpenWriteAsync(StoragePath path, bool append, CancellationToken cancellationToken) => throw new IOException("unreachable");

        public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath directory, CancellationToken cancellationToken) => throw new IOException("unreachable");

        public Task MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) => throw new IOException("unreachable");

        public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) => throw new IOException("unreachable");

        public string? LocalPath(StoragePath path) => null;

        public ValueTask<Uri?> ReadUrlAsync(StoragePath path, CancellationToken cancellationToken) => throw new IOException("unreachable");
    }
}
