using Berth.Storage.State;

namespace Berth.Redis;

/// <summary>A lease held in Redis under a random token; see <see cref="RedisLeases"/>.</summary>
internal sealed class RedisLease(RedisLeases owner, string name, string token, TimeSpan duration) : ILease
{
    private int _released;

    public string Name { get; } = name;

    public TimeSpan Duration { get; } = duration;

    /// <summary>What the lease key holds while this holder has it: compare-and-act scripts check it.</summary>
    internal string Token { get; } = token;

    public async ValueTask<bool> RenewAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Volatile.Read(ref _released) == 0 && await owner.RenewAsync(Name, Token, Duration);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await owner.ReleaseAsync(Name, Token);
        }
    }
}
