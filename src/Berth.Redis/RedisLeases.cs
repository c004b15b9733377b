using Berth.Storage.State;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// Leases in Redis: <c>SET key token PX duration NX</c> takes one, and renewal and release are compare-and-act
/// scripts on the token, so a holder whose lease expired and was taken by another can neither extend nor release it.
/// Every command and script touches the one lease key, so on a Cluster each runs on that key's master unchanged.
/// </summary>
internal sealed class RedisLeases(IDatabase database) : ILeases
{
    private const string Prefix = "berth:lease:";

    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    /// <summary>The key of the lease <paramref name="name"/>, for scripts that act only while a lease is held.</summary>
    internal static RedisKey KeyOf(string name) => Prefix + name;

    public async ValueTask<ILease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var token = Guid.NewGuid().ToString("N");
        try
        {
            var taken = await database.StringSetAsync(KeyOf(name), token, duration, When.NotExists, CommandFlags.DemandMaster);
            return taken ? new RedisLease(this, name, token, duration) : null;
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    internal async Task<bool> RenewAsync(string name, string token, TimeSpan duration)
    {
        try
        {
            var result = await database.ScriptEvaluateAsync(RenewScript, [KeyOf(name)],
                [token, (long)duration.TotalMilliseconds], CommandFlags.DemandMaster);
            return (long)result == 1;
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    /// <summary>Best effort: a lease that cannot be released now expires by itself.</summary>
    internal async Task ReleaseAsync(string name, string token)
    {
        try
        {
            await database.ScriptEvaluateAsync(ReleaseScript, [KeyOf(name)], [token], CommandFlags.DemandMaster);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            // It expires within its duration.
        }
    }
}
