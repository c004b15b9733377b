namespace Berth.Proxy.Mirror;

/// <summary>
/// One run of a piece of work per key at a time: callers that ask while it runs share its result, so twenty
/// concurrent pulls of an uncached tag make one upstream request. The work runs on its own, not under any one
/// caller's cancellation (each caller stops waiting with <see cref="Task.WaitAsync(CancellationToken)"/>).
/// </summary>
internal sealed class SingleFlight<TKey, TValue>
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, Task<TValue>> _running = [];

    public Task<TValue> RunAsync(TKey key, Func<Task<TValue>> work, CancellationToken cancellationToken)
    {
        Task<TValue> running;
        lock (_gate)
        {
            if (!_running.TryGetValue(key, out running!))
            {
                running = RunThenForgetAsync(key, work);
                _running[key] = running;
            }
        }

        return running.WaitAsync(cancellationToken);
    }

    private async Task<TValue> RunThenForgetAsync(TKey key, Func<Task<TValue>> work)
    {
        // Off the caller's stack, so that the entry is in the table before the work can finish and remove it.
        await Task.Yield();
        try
        {
            return await work();
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(key);
            }
        }
    }
}
