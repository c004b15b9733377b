using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Redis;

/// <summary>
/// This node's turn at delivering one endpoint's shared queue: at most one node holds it, so one sender posts the
/// endpoint's events and their order holds. Taken through <see cref="RedisLeases"/> and renewed by a timer every third
/// of its duration while held, so it outlasts slow sends and backoffs; a node that dies loses it when the duration
/// runs out, and another node takes it.
/// </summary>
/// <remarks>
/// The node counts the lease as held only until one duration after it last <em>asked</em> for a renewal that Redis
/// confirmed: that moment falls before Redis lets the key expire, so when renewals fail (Redis away) this node stops
/// peeking before another node can take over. Removal does not rest on this local view: its script checks the token
/// in Redis (<see cref="RedisEventOutbox"/>).
/// </remarks>
internal sealed partial class DeliveryLease : IDisposable
{
    /// <summary>How long <see cref="Dispose"/> waits for the release: best effort, the lease expires anyway.</summary>
    private static readonly TimeSpan ReleaseWait = TimeSpan.FromSeconds(2);

    private readonly RedisLeases _leases;
    private readonly string _name;
    private readonly TimeSpan _duration;
    private readonly string _endpoint;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private RedisLease? _lease;
    private long _heldUntil;
    private ITimer? _renewal;

    public DeliveryLease(RedisLeases leases, string name, TimeSpan duration, string endpoint, ILogger logger)
    {
        _leases = leases;
        _name = name;
        _duration = duration;
        _endpoint = endpoint;
        _logger = logger;
    }

    /// <summary>The lease's token while this node holds it, for scripts that act only then; null otherwise.</summary>
    public string? Token
    {
        get
        {
            lock (_lock)
            {
                return IsHeld ? _lease!.Token : null;
            }
        }
    }

    private bool IsHeld => _lease is not null && TimeProvider.System.GetTimestamp() < _heldUntil;

    /// <summary>Whether this node holds the lease now, taking it when nobody does.</summary>
    /// <exception cref="ServiceUnavailableException">Redis did not answer.</exception>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (IsHeld)
            {
                return true;
            }

            if (_lease is not null)
            {
                // No renewal went through for a whole duration: another node may hold it by now.
                Forget();
                LogLapsed(_logger, _endpoint);
            }
        }

        var asked = TimeProvider.System.GetTimestamp();
        if (await _leases.TryAcquireAsync(_name, _duration, cancellationToken) is not RedisLease lease)
        {
            return false;
        }

        lock (_lock)
        {
            _lease = lease;
            _heldUntil = asked + Ticks(_duration);
            _renewal = TimeProvider.System.CreateTimer(_ => _ = RenewAsync(lease), null, _duration / 3, _duration / 3);
        }

        LogTaken(_logger, _endpoint);
        return true;
    }

    /// <summary>
    /// Forgets a lease that Redis says is not this node's any more (a removal's token check failed), so that the next
    /// <see cref="HoldAsync"/> asks again instead of trusting the local deadline.
    /// </summary>
    public void Lost()
    {
        lock (_lock)
        {
            if (_lease is null)
            {
                return;
            }

            Forget();
        }

        LogLost(_logger, _endpoint);
    }

    /// <summary>Gives the lease back, so another node delivers at once rather than after the duration.</summary>
    public void Dispose()
    {
        RedisLease? lease;
        lock (_lock)
        {
            lease = _lease;
            Forget();
        }

        // Dispose is synchronous (the queue is an IDisposable); the release swallows Redis failures itself.
        lease?.DisposeAsync().AsTask().Wait(ReleaseWait);
    }

    private async Task RenewAsync(RedisLease lease)
    {
        var asked = TimeProvider.System.GetTimestamp();
        bool renewed;
        try
        {
            renewed = await lease.RenewAsync(CancellationToken.None);
        }
        catch (ServiceUnavailableException)
        {
            // Tried again at the next tick; if none succeeds, the lease lapses here before it expires in Redis.
            return;
        }

        lock (_lock)
        {
            if (_lease != lease)
            {
                return;
            }

            if (renewed)
            {
                _heldUntil = asked + Ticks(_duration);
                return;
            }

            Forget();
        }

        LogLost(_logger, _endpoint);
    }

    private void Forget()
    {
        _renewal?.Dispose();
        _renewal = null;
        _lease = null;
    }

    private static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * TimeProvider.System.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Information, Message = "notifications: this node now delivers endpoint {Endpoint} (its lease in Redis is held here)")]
    private static partial void LogTaken(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: the lease on endpoint {Endpoint} is no longer this node's (it expired, "
        + "or Redis lost it); whichever node takes it next delivers")]
    private static partial void LogLost(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: the lease on endpoint {Endpoint} could not be renewed in time (Redis away); "
        + "delivery stops here until it is taken again")]
    private static partial void LogLapsed(ILogger logger, string endpoint);
}
