using Berth.Storage.Drivers;
using Berth.Storage.Usage;

namespace Berth.Storage.Gc;

/// <summary>
/// registry:2's offline garbage collector (<c>registry garbage-collect</c>): mark every blob a manifest in any
/// repository references, then delete the rest from <c>blobs/</c>. Offline means no registry may write to the
/// storage while it runs: a blob pushed after the mark phase looked would be swept while a manifest is about to
/// name it. The mark also counts storage used per repository, written to <see cref="UsageStore"/> for the nodes to show.
/// </summary>
public static class GarbageCollector
{
    /// <summary>How many storage calls a collection has under way at once (reads ahead, deletions).</summary>
    public const int Parallelism = GcSweeper.OfflineParallelDeletes;

    /// <param name="driver">The storage, any driver.</param>
    /// <param name="options">registry:2's --dry-run and --delete-untagged, registry:3's --quiet.</param>
    /// <param name="output">Receives registry:2's report lines, unless <see cref="GarbageCollectionOptions.Quiet"/>.</param>
    /// <param name="cancellationToken">Stops between storage calls; what was deleted stays deleted, nothing is corrupt.</param>
    /// <exception cref="GarbageCollectionException">A stored manifest cannot be read: nothing was deleted.</exception>
    public static async Task<GarbageCollectionResult> RunAsync(IStorageDriver driver, GarbageCollectionOptions options, TextWriter output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var report = new GcReport(options.Quiet ? TextWriter.Null : output);
        var mark = await new GcMarker(driver, report, GcMarker.OfflineReadAhead).MarkAsync(options.DeleteUntagged, cancellationToken);
        // What the mark kept is what stays after the sweep, so the figures are final here; a dry run writes nothing.
        var usage = mark.InUse.Snapshot(TimeProvider.System.GetUtcNow());
        if (!options.DryRun)
        {
            await new UsageStore(driver).WriteAsync(usage, cancellationToken);
        }

        var sweeper = new GcSweeper(driver, report, options.DryRun, GcSweeper.OfflineParallelDeletes);
        await sweeper.RemoveManifestsAsync(mark.Untagged, cancellationToken);
        var blobs = await sweeper.SweepBlobsAsync(mark, cancellationToken);
        return new GarbageCollectionResult(new MarkedDigests(mark.InUse), blobs, [.. mark.Untagged.Select(manifest => manifest.Revision)], usage);
    }
}
