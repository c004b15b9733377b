using Berth.Storage.Gc;
using Berth.Storage.Retention;
using Berth.Storage.Stores;

namespace Berth.Cli;

/// <summary>
/// <c>garbage-collect --retention</c>: applies <c>storage.retention</c> before the collection, so the blobs of the
/// images it removes are swept in the same run. Offline, as the collector: no node pushes meanwhile (the running
/// nodes check has said so), so tags are removed under this process's locks and manifests deleted unguarded.
/// </summary>
internal static class OfflineRetention
{
    /// <param name="dryRun"><c>--dry-run</c>; <c>storage.retention.dryrun</c> makes the retention part a dry run too.</param>
    /// <returns>False, after saying why, when the configuration has no policy to apply.</returns>
    public static async Task<bool> RunAsync(OfflineStorage storage, bool dryRun, bool quiet, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        var settings = storage.Configuration.Storage;
        if (settings.Retention.IsEmpty)
        {
            await error.WriteLineAsync("berth: --retention: the configuration has no storage.retention.policies to apply; nothing was changed");
            return false;
        }

        using var store = new RegistryStore(storage.Shared, new StoreOptions { ImmutableTags = settings.ImmutableTags, LockTagWrites = true });
        var pulls = storage.PullTimes();
        try
        {
            var runner = new RetentionRunner(new RetentionStorage(store, storage.Shared, storage.Driver, pulls), settings.Retention,
                settings.ImmutableTags, TimeProvider.System);
            var result = await runner.RunAsync(dryRun || settings.Retention.DryRun, DeletionGuards.Offline, cancellationToken);
            if (!quiet)
            {
                await RetentionTextReport.WriteAsync(output, result);
            }

            return true;
        }
        finally
        {
            (pulls as IDisposable)?.Dispose();
        }
    }
}
