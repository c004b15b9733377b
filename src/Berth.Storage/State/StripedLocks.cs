namespace Berth.Storage.State;

/// <summary>
/// Serializes work on the same key (one upload session) within this process without keeping a lock per key
/// alive: keys hash onto a fixed set of semaphores, so unrelated keys rarely wait on each other. Each stripe owns
/// its releaser, so taking a lock allocates nothing beyond the wait itself.
/// </summary>
internal sealed class StripedLocks : ISessionLocks
{
    private readonly Stripe[] _stripes;

    public StripedLocks(int stripes = 256)
    {
        _stripes = new Stripe[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    public async ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];
        await stripe.Semaphore.WaitAsync(cancellationToken);
        return stripe;
    }

    private sealed class Stripe : IAsyncDisposable
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public ValueTask DisposeAsync()
        {
            Semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
