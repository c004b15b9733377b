using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>How one purge went: sessions removed (or, in a dry run, that would have been) and sessions kept.</summary>
public sealed record UploadPurgeResult(int Purged, int Kept);

/// <summary>
/// registry:2's upload purging (<c>storage.maintenance.uploadpurging</c>): removes upload sessions started longer
/// ago than the configured age, which clients abandoned, with their data. Every <c>_uploads</c> folder under
/// <c>repositories/</c> is visited, including those of repositories that never got a blob, so a first push that
/// died is cleaned too. A session's age is its <c>startedat</c> (registry:2's files included), else its data's
/// modification time, else its folder's.
/// </summary>
internal sealed class UploadPurger(StoreContext context)
{
    public async Task<UploadPurgeResult> PurgeAsync(TimeSpan age, bool dryRun, CancellationToken cancellationToken)
    {
        var startedBefore = context.Time.GetUtcNow() - age;
        var (purged, kept) = (0, 0);
        await foreach (var (repository, session) in SessionsAsync(cancellationToken))
        {
            if (await StartedAtAsync(session, cancellationToken) >= startedBefore)
            {
                kept++;
            }
            else
            {
                if (!dryRun)
                {
                    await RemoveAsync(repository, session);
                }

                purged++;
            }
        }

        return new UploadPurgeResult(purged, kept);
    }

    /// <summary>Every session folder (<c>&lt;repository&gt;/_uploads/&lt;id&gt;</c>) in storage.</summary>
    private async IAsyncEnumerable<(string Repository, StorageEntry Session)> SessionsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (repository, folder) in RepositoryFolders.DataFoldersAsync(context.Driver, cancellationToken))
        {
            if (folder.Path.Name != RegistryPaths.UploadsFolder)
            {
                continue;
            }

            await foreach (var session in context.Driver.ListAsync(folder.Path, cancellationToken))
            {
                if (session.IsDirectory)
                {
                    yield return (repository, session);
                }
            }
        }
    }

    private async Task<DateTimeOffset> StartedAtAsync(StorageEntry session, CancellationToken cancellationToken)
    {
        var startedAt = UploadStore.ParseStartedAt(await context.Driver.ReadAllAsync(session.Path.Append("startedat"), cancellationToken));
        return startedAt ?? (await context.Driver.StatAsync(session.Path.Append("data"), cancellationToken))?.ModifiedAt ?? session.ModifiedAt;
    }

    /// <summary>
    /// Removes the session under its lock, so an append of this process is never cut in half, and drops its
    /// running hash. Not cancellable, like every session removal: half a session would outlive its client.
    /// </summary>
    private async Task RemoveAsync(string repository, StorageEntry session)
    {
        if (RepositoryName.TryParse(repository, out var name) && UploadId.TryParse(session.Path.Name, out var id))
        {
            var key = UploadStore.Key(name, id);
            await using var held = await context.UploadLocks.AcquireAsync(key, CancellationToken.None);
            await context.Driver.DeleteAsync(session.Path, CancellationToken.None);
            context.UploadHashes.Forget(key);
            return;
        }

        // A folder no session of Berth's can have (another program's id format): nothing of this process holds it.
        await context.Driver.DeleteAsync(session.Path, CancellationToken.None);
    }
}
