using Berth.Storage.State;

namespace Berth.Redis;

/// <summary>
/// A lease held in Redis. While held it renews itself every third of its duration, so a holder that runs long (a
/// large PATCH, a catalog walk) keeps it, and a holder that dies loses it within one duration.
/// </summary>
internal sealed class RedisLease : ILease
{
    private readonly RedisLeases _owner;
    private readonly string _token;
    private readonly TimeSpan _duration;
    private readonly ITimer _keepAlive;
    private int _released;

    public RedisLease(RedisLeases owner, string name, string token, TimeSpan duration)
    {
        _owner = owner;
        Name = name;
        _token = token;
        _duration = duration;
        _keepAlive = TimeProvider.System.CreateTimer(_ => _ = KeepAliveAsync(), null, duration / 3, duration / 3);
    }

    public string Name { get; }

    /// <summary>Set when a renewal found the lease gone: its holder should stop what the lease guarded, if it can.</summary>
    public bool Lost { get; private set; }

    public async ValueTask<bool> RenewAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var held = await _owner.RenewAsync(Name, _token, _duration);
        Lost |= !held;
        return held;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _keepAlive.DisposeAsync();
            await _owner.ReleaseAsync(Name, _token);
        }
    }

    private async Task KeepAliveAsync()
    {
        try
        {
            if (Volatile.Read(ref _released) == 0)
            {
                await RenewAsync(CancellationToken.None);
            }
        }
        catch (Berth.Core.Errors.ServiceUnavailableException)
        {
            // Redis is away: the next tick tries again; the lease may expire meanwhile (documented).
        }
    }
}
