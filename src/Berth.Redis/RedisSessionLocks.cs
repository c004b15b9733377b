using Berth.Core.Errors;
using Berth.Storage.State;

namespace Berth.Redis;

/// <summary>
/// Upload session locks across nodes: a lease per session, so two PATCHes of one session on two nodes append one
/// after the other. A waiter polls (10 ms, doubling to 200 ms) for at most <see cref="MaxWait"/>, then gets 503: a
/// client does not send two chunks of one session at once, so a long wait means a stuck request, not a queue.
/// </summary>
internal sealed class RedisSessionLocks(ILeases leases) : ISessionLocks
{
    /// <summary>How long a held lock outlives a node that died holding it (renewed while the holder lives).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    public async ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var poll = FirstPoll;
        while (true)
        {
            if (await leases.TryAcquireAsync("upload:" + key, LeaseDuration, cancellationToken) is { } lease)
            {
                return new KeptLease(lease, LeaseDuration);
            }

            if (TimeProvider.System.GetElapsedTime(started) >= MaxWait)
            {
                throw new RegistryException(RegistryErrorCode.Unavailable, "upload session is busy",
                    $"another request has held upload {key} for more than {MaxWait.TotalSeconds:0}s; retry");
            }

            await Task.Delay(poll, cancellationToken);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
        }
    }
}
