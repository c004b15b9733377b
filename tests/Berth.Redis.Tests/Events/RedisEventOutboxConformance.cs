using System.Text;
using Berth.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Redis.Tests.Events;

/// <summary>
/// One endpoint's shared event queue on one Redis (a server or a cluster), with each "node" an outbox on a connection
/// of its own: appends keep their order and the capacity, only the lease holder peeks, a holder that leaves or dies
/// is replaced by another that sees what is left, and a node that lost its lease removes nothing.
/// </summary>
public abstract class RedisEventOutboxConformance<TRedis>(TRedis redis) : IClassFixture<TRedis>, IAsyncLifetime
    where TRedis : RedisFixtureBase
{
    private const string Endpoint = "hook";

    /// <summary>Long enough for a lease retry (1 s) or a short lease to expire, with room for a loaded machine.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    /// <summary>How long a node that must not peek is given to prove it: more than a lease retry.</summary>
    private static readonly TimeSpan NotPeeking = TimeSpan.FromSeconds(1.5);

    private readonly TRedis _redis = redis;
    private readonly List<IEventOutbox> _outboxes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _redis.FlushAsync();

    public ValueTask DisposeAsync()
    {
        foreach (var outbox in _outboxes)
        {
            outbox.Dispose();
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Peek_SeveralAppended_ComeOutInAppendOrder()
    {
        var node = await NodeAsync();
        for (var i = 1; i <= 5; i++)
        {
            Assert.True(await node.AppendAsync(Event(i), Ct));
        }

        Assert.Equal(5, node.Count);
        for (var i = 1; i <= 5; i++)
        {
            var oldest = await node.PeekAsync(Ct);
            Assert.Equal(Text(i), Text(oldest));
            await node.RemoveAsync(oldest, Ct);
        }

        Assert.Equal(0, node.Count);
    }

    [Fact]
    public async Task Append_QueueFull_RefusedAndCountedOldestKept()
    {
        var (a, b) = (await NodeAsync(capacity: 2), await NodeAsync(capacity: 2));

        Assert.True(await a.AppendAsync(Event(1), Ct));
        Assert.True(await b.AppendAsync(Event(2), Ct));
        Assert.False(await a.AppendAsync(Event(3), Ct));

        Assert.Equal((1L, 0L), (a.Dropped, b.Dropped));
        Assert.Equal(2, a.Count);
        Assert.Equal(Text(1), Text(await a.PeekAsync(Ct)));
    }

    [Fact]
    public async Task Peek_TwoNodes_OnlyTheLeaseHolderPeeks()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        await b.AppendAsync(Event(1), Ct);
        await b.AppendAsync(Event(2), Ct);

        var first = await a.PeekAsync(Ct);

        Assert.Equal(Text(1), Text(first));
        await AssertPeeksNothingAsync(b);
        await a.RemoveAsync(first, Ct);
        Assert.Equal(Text(2), Text(await a.PeekAsync(Ct)));
        await AssertPeeksNothingAsync(b);
    }

    [Fact]
    public async Task Peek_HolderDisposed_OtherNodeTakesOverWithWhatIsLeft()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        for (var i = 1; i <= 3; i++)
        {
            await a.AppendAsync(Event(i), Ct);
        }

        await a.RemoveAsync(await a.PeekAsync(Ct), Ct);
        a.Dispose();

        Assert.Equal([Text(2), Text(3)], await DrainAsync(b, 2));
    }

    [Fact]
    public async Task Peek_HolderDied_OtherNodeTakesOverWhenItsLeaseExpires()
    {
        // A node of its own connection, so that closing it is the node dying: no release, no more renewals.
        await using var dying = await RedisConnection.ConnectAsync(new RedisOptions { Addresses = _redis.Addresses }, NullLogger.Instance);
        // Not disposed by the test either: a dead node releases nothing.
        var a = new RedisEventOutbox(dying.Database, new RedisLeases(dying.Database), Endpoint, 100, NullLogger.Instance, TimeSpan.FromSeconds(2));
        var b = await NodeAsync();
        await a.AppendAsync(Event(1), Ct);
        await a.AppendAsync(Event(2), Ct);
        Assert.Equal(Text(1), Text(await a.PeekAsync(Ct)));

        await dying.DisposeAsync();

        Assert.Equal([Text(1), Text(2)], await DrainAsync(b, 2));
    }

    [Fact]
    public async Task Remove_LeaseLostToAnotherNode_DeletesNothing()
    {
        var (a, b) = (await NodeAsync(), await NodeAsync());
        await a.AppendAsync(Event(1), Ct);
        var seenByA = await a.PeekAsync(Ct);

        // As if A's lease had expired while it was posting.
        await (await _redis.ConnectAsync()).Database.KeyDeleteAsync(RedisLeases.KeyOf("events:{" + Endpoint + "}"));
        var seenByB = await PeekWithinAsync(b);
        await a.RemoveAsync(seenByA, Ct);

        Assert.Equal(Text(1), Text(seenByB));
        Assert.Equal(seenByB.Position, (await b.PeekAsync(Ct)).Position);
        await b.RemoveAsync(seenByB, Ct);
        Assert.Equal(0, b.Count);
        await AssertPeeksNothingAsync(b);
    }

    [Fact]
    public async Task Initialize_NewInstanceAfterRestart_SeesWhatWasQueued()
    {
        var before = await NodeAsync();
        await before.AppendAsync(Event(1), Ct);
        await before.AppendAsync(Event(2), Ct);
        before.Dispose();

        var after = await NodeAsync();

        Assert.Equal(2, after.Count);
        Assert.Equal([Text(1), Text(2)], await DrainAsync(after, 2));
    }

    private async Task<IEventOutbox> NodeAsync(int capacity = 100)
    {
        var outbox = Outbox(await _redis.ConnectAsync(), capacity);
        await outbox.InitializeAsync(Ct);
        return outbox;
    }

    private RedisEventOutbox Outbox(RedisConnection connection, int capacity)
    {
        var outbox = new RedisEventOutbox(connection.Database, new RedisLeases(connection.Database), Endpoint, capacity, NullLogger.Instance);
        _outboxes.Add(outbox);
        return outbox;
    }

    /// <summary>Peeks and removes <paramref name="count"/> events, each within the deadline (a takeover waits for the lease).</summary>
    private static async Task<List<string>> DrainAsync(IEventOutbox outbox, int count)
    {
        var seen = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var oldest = await PeekWithinAsync(outbox);
            seen.Add(Text(oldest));
            await outbox.RemoveAsync(oldest, Ct);
        }

        return seen;
    }

    private static async Task<QueuedEvent> PeekWithinAsync(IEventOutbox outbox)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Deadline);
        return await outbox.PeekAsync(deadline.Token);
    }

    private static async Task AssertPeeksNothingAsync(IEventOutbox outbox)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(NotPeeking);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outbox.PeekAsync(wait.Token));
    }

    private static byte[] Event(int number) => Encoding.UTF8.GetBytes(Text(number));

    private static string Text(int number) => $$"""{"id":"event-{{number}}"}""";

    private static string Text(QueuedEvent queued) => Encoding.UTF8.GetString(queued.Content);
}
