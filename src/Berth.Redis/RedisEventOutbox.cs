using Berth.Core.Errors;
using Berth.Events;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// One endpoint's event queue in Redis, shared by every node on one store: a stream
/// (<c>berth:events:{name}</c>) that each node appends to, and that only the node holding the endpoint's
/// <see cref="DeliveryLease"/> peeks at and removes from, so events are posted one at a time in the order they were
/// appended. A node that dies loses the lease when it expires; another takes it and delivers what the first queued.
/// </summary>
/// <remarks>
/// <para>Every key of an endpoint carries the hash tag <c>{name}</c>, so on a Cluster the stream and the lease are in
/// one slot and a script may touch both.</para>
/// <para>Durable as Redis is: an append is acknowledged once Redis has it, and survives a Redis restart as far as its
/// persistence (AOF, RDB) keeps it.</para>
/// <para>StackExchange.Redis cannot block on a shared connection (no <c>XREAD BLOCK</c>), so the holder waits for this
/// node's own appends on a local signal and polls every <see cref="Poll"/> for other nodes'.</para>
/// </remarks>
internal sealed partial class RedisEventOutbox : IEventOutbox
{
    /// <summary>How long a node that died keeps the endpoint before another delivers it (renewed every third of it).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(10);

    /// <summary>How often a node that does not deliver asks for the lease.</summary>
    public static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(1);

    /// <summary>How long an empty queue's holder waits before it looks again for other nodes' appends.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>How stale <see cref="Count"/> may grow while the sender loop runs.</summary>
    public static readonly TimeSpan CountRefresh = TimeSpan.FromSeconds(1);

    private const string Field = "event";

    // Checked and added in one script, so concurrent appends from many nodes never pass the capacity together.
    private const string AppendScript = """
        local length = redis.call('xlen', KEYS[1])
        if length >= tonumber(ARGV[1]) then return -1 end
        redis.call('xadd', KEYS[1], '*', 'event', ARGV[2])
        return length + 1
        """;

    // Deletes only while the caller's token is the lease's: a node whose lease expired deletes nothing.
    private const string RemoveScript = """
        if redis.call('get', KEYS[1]) ~= ARGV[1] then return -1 end
        redis.call('xdel', KEYS[2], ARGV[2])
        return redis.call('xlen', KEYS[2])
        """;

    private readonly IDatabase _database;
    private readonly RedisKey _stream;
    private readonly RedisKey _leaseKey;
    private readonly int _capacity;
    private readonly DeliveryLease _lease;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly SemaphoreSlim _appended = new(0);
    private long _count;
    private long _countRead;
    private long _dropped;

    /// <param name="name">The endpoint as a plain file name (<c>Notifications.FolderOf</c>): the same on every node.</param>
    /// <param name="leaseDuration">Shorter in tests that wait for a dead node's lease to expire.</param>
    public RedisEventOutbox(IDatabase database, RedisLeases leases, string name, int capacity, ILogger logger, TimeSpan? leaseDuration = null)
    {
        _database = database;
        _stream = "berth:events:{" + name + "}";
        var leaseName = "events:{" + name + "}";
        _leaseKey = RedisLeases.KeyOf(leaseName);
        _capacity = capacity;
        _logger = logger;
        _endpoint = name;
        _lease = new DeliveryLease(leases, leaseName, leaseDuration ?? LeaseDuration, name, logger);
    }

    /// <summary>
    /// The stream's length as this node last saw it: set by each of its appends and removals, and read again (XLEN) at
    /// most once every <see cref="CountRefresh"/> by its sender loop, holder or not. Never a command of its own, so a
    /// metrics scrape costs Redis nothing. Every node reports the one shared queue.
    /// </summary>
    public int Count => (int)Math.Min(Volatile.Read(ref _count), int.MaxValue);

    /// <summary>Events this node refused because the shared queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Reads the queue's length for the start-up log; Berth starts while Redis is down, so that is only logged.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshCountAsync();
        }
        catch (ServiceUnavailableException e)
        {
            LogNotRead(_logger, _endpoint, e.Message);
        }
    }

    /// <exception cref="ServiceUnavailableException">Redis failed: the request is answered 503.</exception>
    public async Task<bool> AppendAsync(ReadOnlyMemory<byte> storedEvent, CancellationToken cancellationToken)
    {
        var length = (long)await Call(() =>
            _database.ScriptEvaluateAsync(AppendScript, [_stream], [_capacity, storedEvent], CommandFlags.DemandMaster));
        if (length < 0)
        {
            Interlocked.Increment(ref _dropped);
            SetCount(_capacity);
            return false;
        }

        SetCount(length);
        if (_appended.CurrentCount == 0)
        {
            _appended.Release();
        }

        return true;
    }

    public async Task<QueuedEvent> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TimeProvider.System.GetElapsedTime(Volatile.Read(ref _countRead)) >= CountRefresh)
            {
                await RefreshCountAsync();
            }

            if (!await _lease.HoldAsync(cancellationToken))
            {
                await Task.Delay(LeaseRetry, cancellationToken);
                continue;
            }

            var oldest = await Call(() => _database.StreamRangeAsync(_stream, "-", "+", 1, Order.Ascending, CommandFlags.DemandMaster));
            if (oldest.Length == 0)
            {
                SetCount(0);
                await _appended.WaitAsync(Poll, cancellationToken);
                continue;
            }

            if ((byte[]?)oldest[0][Field] is { } content)
            {
                return new QueuedEvent(oldest[0].Id.ToString(), content);
            }

            // An entry without an event (added by hand): nothing to send for it.
            await RemoveAsync(new QueuedEvent(oldest[0].Id.ToString(), []), cancellationToken);
        }
    }

    /// <summary>Deletes the event only while this node still holds the lease; otherwise the holder delivers it (again).</summary>
    public async Task RemoveAsync(QueuedEvent queued, CancellationToken cancellationToken)
    {
        if (_lease.Token is not { } token)
        {
            return;
        }

        var left = (long)await Call(() => _database.ScriptEvaluateAsync(RemoveScript, [_leaseKey, _stream], [token, queued.Position],
            CommandFlags.DemandMaster));
        if (left >= 0)
        {
            SetCount(left);
        }
        else
        {
            // Expired and taken by another node, or gone with a Redis restart: that node (or this one, taking it again)
            // delivers the event once more.
            _lease.Lost();
        }
    }

    public void Dispose()
    {
        _lease.Dispose();
        _appended.Dispose();
    }

    private async Task RefreshCountAsync() => SetCount(await Call(() => _database.StreamLengthAsync(_stream, CommandFlags.DemandMaster)));

    private void SetCount(long count)
    {
        Volatile.Write(ref _count, count);
        Volatile.Write(ref _countRead, TimeProvider.System.GetTimestamp());
    }

    private static async Task<T> Call<T>(Func<Task<T>> command)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: the shared queue of endpoint {Endpoint} could not be read at start: {Reason}")]
    private static partial void LogNotRead(ILogger logger, string endpoint, string reason);
}
