namespace Berth.Storage.Stores;

/// <summary>
/// Serializes work on the same key (one upload session) within this process without keeping a lock per key
/// alive: keys hash onto a fixed set of semaphores, so unrelated keys rarely wait on each other.
/// </summary>
internal sealed class StripedLocks
{
    private readonly SemaphoreSlim[] _stripes;

    public StripedLocks(int stripes = 256)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public async Task<Releaser> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    public readonly struct Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
