using Berth.Core;
using Berth.Core.Errors;
using Berth.Storage.Gc.Online;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// <see cref="ICollectionBarrier"/> for several nodes: the cycle number, the protected sets and the condemned marks
/// live in Redis, and protection and condemnation are each one Lua script over the same keys, so they are atomic
/// against each other as the protocol needs. Every key carries the <c>{gc}</c> hash tag: one Cluster slot.
/// </summary>
/// <remarks>
/// <para>Tickets in flight stay in each node's memory; what the collector needs of them is each node's low-water mark
/// (the oldest cycle of a ticket still in flight, else the cycle it knows), which every node publishes every
/// <see cref="HeartbeatInterval"/> with an expiry. <see cref="WaitForEarlierWritesAsync"/> waits until every node
/// that has not expired has published a mark at or past the new cycle. A node that stops publishing (dead, or cut off
/// from Redis) is no longer waited for once its entry expires; its requests cannot protect anything meanwhile, since
/// protection is a Redis command.</para>
/// <para>A ticket older than the cycle before the current one can no longer protect: the running collection would not
/// honour it. Such a request is answered 503 and the client retries; it takes a request outliving two collection
/// starts to get there.</para>
/// </remarks>
public sealed class RedisCollectionBarrier : ICollectionBarrier, IDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a node that stopped publishing is still waited for.</summary>
    public static readonly TimeSpan NodeExpiry = TimeSpan.FromSeconds(30);

    /// <summary>How long a condemned mark outlives a collector that died while deleting.</summary>
    private static readonly TimeSpan CondemnedExpiry = TimeSpan.FromMinutes(5);

    /// <summary>Protected sets outlast any sensible interval between collections; each collection drops the old ones.</summary>
    private static readonly TimeSpan ProtectedExpiry = TimeSpan.FromDays(7);

    private static readonly TimeSpan ReleasePoll = TimeSpan.FromMilliseconds(50);

    private const string Prefix = "berth:{gc}:";
    private static readonly RedisKey CycleKey = Prefix + "cycle";
    private static readonly RedisKey NodesKey = Prefix + "nodes";
    private static readonly RedisKey MarksKey = Prefix + "marks";

    private const string NowMs = "local t = redis.call('time') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

    // KEYS: nodes, marks, cycle. ARGV: node, mark, expiry (ms). Returns the current cycle.
    private const string HeartbeatScript = NowMs
        + "redis.call('zadd', KEYS[1], now + tonumber(ARGV[3]), ARGV[1]) redis.call('hset', KEYS[2], ARGV[1], ARGV[2]) "
        + "for _, gone in ipairs(redis.call('zrangebyscore', KEYS[1], '-inf', now)) do redis.call('hdel', KEYS[2], gone) end "
        + "redis.call('zremrangebyscore', KEYS[1], '-inf', now) "
        + "return tonumber(redis.call('get', KEYS[3]) or '0')";

    // KEYS: nodes, marks. ARGV: cycle. 1 when every live node's mark is at or past the cycle.
    private const string EarlierDoneScript = NowMs
        + "for _, node in ipairs(redis.call('zrangebyscore', KEYS[1], now, '+inf')) do "
        + "if tonumber(redis.call('hget', KEYS[2], node) or '0') < tonumber(ARGV[1]) then return 0 end end return 1";

    // KEYS: cycle, protected set of the ticket's cycle, condemned mark. ARGV: ticket's cycle, digest, expiry (s).
    // 0: protected; 1: condemned (protected all the same); 2: the ticket is too old to protect anything.
    private const string ProtectScript =
        "if tonumber(ARGV[1]) < tonumber(redis.call('get', KEYS[1]) or '0') - 1 then return 2 end "
        + "redis.call('sadd', KEYS[2], ARGV[2]) redis.call('expire', KEYS[2], ARGV[3]) "
        + "return redis.call('exists', KEYS[3])";

    // KEYS: protected set of the cycle, of the cycle before, condemned mark. ARGV: digest, expiry (ms), cycle.
    private const string CondemnScript =
        "if redis.call('sismember', KEYS[1], ARGV[1]) == 1 or redis.call('sismember', KEYS[2], ARGV[1]) == 1 then return 0 end "
        + "redis.call('set', KEYS[3], ARGV[3], 'px', ARGV[2]) return 1";

    private readonly IDatabase _database;
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly TicketsInFlight _tickets = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _heartbeats = Task.CompletedTask;

    private RedisCollectionBarrier(IDatabase database) => _database = database;

    /// <summary>Publishes this node once (so a collection that starts now waits for its requests), then every interval.</summary>
    public static async Task<RedisCollectionBarrier> StartAsync(RedisConnection redis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var barrier = new RedisCollectionBarrier(redis.Database);
        try
        {
            await barrier.HeartbeatAsync();
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            // Redis is down at start: requests that need it answer 503 until it is back, and the loop keeps trying.
        }

        barrier._heartbeats = barrier.HeartbeatLoopAsync();
        return barrier;
    }

    public ValueTask<IWriteTicket> BeginWriteAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tickets.Begin((tickets, cycle) => new Ticket(this, tickets, cycle)));

    public async ValueTask<long> StartCycleAsync(CancellationToken cancellationToken)
    {
        var cycle = await CallAsync(() => _database.StringIncrementAsync(CycleKey, flags: CommandFlags.DemandMaster));
        // This node's own requests join the new cycle at once; the others learn of it at their next beat.
        _tickets.Advance(cycle);
        return cycle;
    }

    public async Task WaitForEarlierWritesAsync(long cycle, CancellationToken cancellationToken)
    {
        while ((long)await CallAsync(() => _database.ScriptEvaluateAsync(EarlierDoneScript, [NodesKey, MarksKey], [cycle], CommandFlags.DemandMaster)) != 1)
        {
            await Task.Delay(HeartbeatInterval, cancellationToken);
        }
    }

    public async ValueTask<bool> TryCondemnAsync(Digest digest, long cycle, CancellationToken cancellationToken) =>
        (long)await CallAsync(() => _database.ScriptEvaluateAsync(CondemnScript, [ProtectedKey(cycle), ProtectedKey(cycle - 1), CondemnedKey(digest)],
            [digest.ToString(), (long)CondemnedExpiry.TotalMilliseconds, cycle], CommandFlags.DemandMaster)) == 1;

    public async ValueTask ReleaseAsync(Digest digest, CancellationToken cancellationToken) =>
        await CallAsync(() => _database.KeyDeleteAsync(CondemnedKey(digest), CommandFlags.DemandMaster));

    public async ValueTask EndCycleAsync(long cycle, CancellationToken cancellationToken) =>
        await CallAsync(() => _database.KeyDeleteAsync(ProtectedKey(cycle - 2), CommandFlags.DemandMaster));

    /// <summary>Stops publishing and leaves the node list at once, rather than be waited for until the entry expires.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        // The loop ends at its next await; a beat in progress is not worth waiting long for.
        _heartbeats.Wait(TimeSpan.FromSeconds(2));
        _database.SortedSetRemove(NodesKey, _node, CommandFlags.FireAndForget);
        _stopping.Dispose();
    }

    private static RedisKey ProtectedKey(long cycle) => Prefix + "protected:" + cycle;

    private static RedisKey CondemnedKey(Digest digest) => Prefix + "condemned:" + digest;

    private async Task HeartbeatLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(HeartbeatInterval, _stopping.Token);
                await HeartbeatAsync();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (RedisFailure.Is(e))
            {
                // Missed beats only make collections wait (or, past the expiry, stop waiting for this node, whose
                // requests cannot protect anything while Redis is away either).
            }
        }
    }

    private async Task HeartbeatAsync()
    {
        var cycle = (long)await _database.ScriptEvaluateAsync(HeartbeatScript, [NodesKey, MarksKey, CycleKey],
            [_node, _tickets.LowWaterMark, (long)NodeExpiry.TotalMilliseconds], CommandFlags.DemandMaster);
        _tickets.Advance(cycle);
    }

    /// <returns>False when condemned.</returns>
    private async Task<bool> TryProtectAsync(long cycle, Digest digest)
    {
        var result = (long)await CallAsync(() => _database.ScriptEvaluateAsync(ProtectScript, [CycleKey, ProtectedKey(cycle), CondemnedKey(digest)],
            [cycle, digest.ToString(), (long)ProtectedExpiry.TotalSeconds], CommandFlags.DemandMaster));
        return result switch
        {
            0 => true,
            1 => false,
            _ => throw new ServiceUnavailableException(RedisFailure.Service,
                "this request outlived two garbage collection starts and can no longer rely on stored content; retry it"),
        };
    }

    private async Task WaitUntilReleasedAsync(Digest digest, CancellationToken cancellationToken)
    {
        while (await CallAsync(() => _database.KeyExistsAsync(CondemnedKey(digest), CommandFlags.DemandMaster)))
        {
            await Task.Delay(ReleasePoll, cancellationToken);
        }
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    private sealed class Ticket(RedisCollectionBarrier barrier, TicketsInFlight tickets, long cycle) : CountedTicket(tickets, cycle)
    {
        public override async ValueTask<IReadOnlySet<Digest>> ProtectAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
        {
            var condemned = new HashSet<Digest>();
            foreach (var digest in digests)
            {
                if (!await barrier.TryProtectAsync(Cycle, digest))
                {
                    condemned.Add(digest);
                }
            }

            return condemned;
        }

        public override async ValueTask<bool> TryProtectAsync(Digest digest, CancellationToken cancellationToken) =>
            await barrier.TryProtectAsync(Cycle, digest);

        public override async ValueTask WaitUntilReleasedAsync(Digest digest, CancellationToken cancellationToken) =>
            await barrier.WaitUntilReleasedAsync(digest, cancellationToken);
    }
}
