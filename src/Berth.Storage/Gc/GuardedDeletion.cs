using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// Runs a deletion of the content <paramref name="digest"/> names the way the caller's setting makes safe: offline
/// it simply runs (<see cref="GuardedDeletions.Unguarded"/>); inside an online collection's cycle it runs only while
/// the digest is condemned, and not at all when a request protects it (<see cref="Online.ICollectionBarrier"/>).
/// </summary>
/// <returns>Whether <paramref name="delete"/> ran.</returns>
public delegate Task<bool> GuardedDeletion(Digest digest, Func<Task> delete, CancellationToken cancellationToken);

public static class GuardedDeletions
{
    /// <summary>For offline work, where nothing else writes the storage: every deletion runs.</summary>
    public static GuardedDeletion Unguarded { get; } = async (_, delete, _) =>
    {
        await delete();
        return true;
    };
}
