using Berth.Core;

namespace Berth.Storage.Stores;

/// <summary>
/// The lock on a repository's tag writes, over the state's <see cref="State.ISessionLocks"/>: striped semaphores in
/// one process, a lease in Redis across nodes. One key per repository, so a push of several tags cannot deadlock on
/// its own keys and the immutable-tag check and retention's compare-and-remove take the same lock.
/// </summary>
internal static class TagWriteLock
{
    public static ValueTask<IAsyncDisposable> AcquireAsync(StoreContext context, RepositoryName name, CancellationToken cancellationToken) =>
        context.UploadLocks.AcquireAsync("tags:" + name.Value, cancellationToken);
}
