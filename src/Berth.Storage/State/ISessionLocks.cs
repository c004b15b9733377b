namespace Berth.Storage.State;

/// <summary>
/// Serialises work on one key (an upload session) across everything that shares the state: the threads of one
/// process in process, every node with Redis. Held for one request; disposing the handle releases it.
/// </summary>
public interface ISessionLocks
{
    /// <summary>Waits for the key, as long as <paramref name="cancellationToken"/> allows (and, with Redis, a bounded time).</summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken);
}
