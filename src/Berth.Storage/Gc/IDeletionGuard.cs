using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// What makes deleting content safe while requests may run: inside an online collection's cycle, the collector's
/// condemnation (<see cref="Online.ICollectionBarrier"/>): a digest is deleted only while condemned, and cannot be
/// condemned while a request protects it. Offline nothing else writes, and <see cref="DeletionGuards.Offline"/>
/// allows every deletion.
/// </summary>
public interface IDeletionGuard
{
    /// <returns>True: delete it, then <see cref="ReleaseAsync"/>. False: a request relies on it; keep it.</returns>
    ValueTask<bool> TryCondemnAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>The deletion is done or abandoned: requests waiting to write the content anew go on.</summary>
    ValueTask ReleaseAsync(Digest digest, CancellationToken cancellationToken);
}

public static class DeletionGuards
{
    /// <summary>For offline work, where nothing else writes the storage: every deletion may go ahead.</summary>
    public static IDeletionGuard Offline { get; } = new Unguarded();

    private sealed class Unguarded : IDeletionGuard
    {
        public ValueTask<bool> TryCondemnAsync(Digest digest, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask ReleaseAsync(Digest digest, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
