using System.Diagnostics;
using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Berth.Storage.Usage;

namespace Berth.Storage.Gc.Online;

/// <summary>What one online collection keeps and removes.</summary>
/// <param name="Grace">Unreferenced content younger than this is kept: for people (an image pushed by digest and tagged a
/// little later), never needed for safety.</param>
/// <param name="DeleteUntagged">Also remove manifests no tag reaches, as <c>garbage-collect --delete-untagged</c> does.</param>
public sealed record OnlineCollectionOptions(TimeSpan Grace, bool DeleteUntagged);

/// <summary>What one online collection did.</summary>
/// <param name="Usage">Storage used per repository by what the mark kept, as written to <see cref="UsageStore"/>.</param>
public sealed record OnlineCollectionResult(long Cycle, int Marked, int BlobsDeleted, long BytesDeleted, int ManifestsRemoved,
    int KeptProtected, int KeptYoung, TimeSpan Duration, StorageUsage Usage);

/// <summary>
/// One collection while berth serves: the offline collector's mark and sweep, run inside a cycle of the
/// <see cref="ICollectionBarrier"/> so that requests running meanwhile lose nothing (the argument is on that
/// interface). Deletes as it walks <c>blobs/</c>, so nothing but the marked set is held in memory. The mark's count of
/// storage used per repository is written to <see cref="UsageStore"/> before the sweep.
/// </summary>
/// <param name="driver">The driver requests go through (with its caches), so that what is deleted leaves them too.</param>
public sealed class OnlineCollector(IStorageDriver driver, ICollectionBarrier barrier, TimeProvider time)
{
    public Task<OnlineCollectionResult> RunAsync(OnlineCollectionOptions options, CancellationToken cancellationToken) =>
        RunAsync(options, beforeMark: null, cancellationToken);

    /// <param name="beforeMark">
    /// Work that deletes inside this cycle before the mark (retention's tag and manifest removals), handed this cycle's
    /// condemnation as an <see cref="IDeletionGuard"/>, so what it deletes is condemned first exactly as the collector's
    /// own deletions. What it removes is then unmarked and swept in this same collection.
    /// </param>
    public async Task<OnlineCollectionResult> RunAsync(OnlineCollectionOptions options, Func<IDeletionGuard, CancellationToken, Task>? beforeMark,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var cycle = await barrier.StartCycleAsync(cancellationToken);
        try
        {
            await barrier.WaitForEarlierWritesAsync(cycle, cancellationToken);
            if (beforeMark is not null)
            {
                await beforeMark(new CycleGuard(barrier, cycle), cancellationToken);
            }

            var mark = await new GcMarker(driver, new GcReport(TextWriter.Null)).MarkAsync(options.DeleteUntagged, cancellationToken);
            var usage = mark.InUse.Snapshot(time.GetUtcNow());
            await new UsageStore(driver).WriteAsync(usage, cancellationToken);
            var removed = await RemoveUntaggedAsync(mark.Untagged, cycle, cancellationToken);
            var sweep = await SweepAsync(mark, cycle, time.GetUtcNow() - options.Grace, cancellationToken);
            return new OnlineCollectionResult(cycle, mark.InUse.Count, sweep.Deleted, sweep.Bytes, removed, sweep.Protected, sweep.Young, clock.Elapsed,
                usage);
        }
        finally
        {
            await barrier.EndCycleAsync(cycle, CancellationToken.None);
        }
    }

    /// <returns>How many were removed; one a request protected meanwhile (it was tagged or pushed again) stays.</returns>
    private async Task<int> RemoveUntaggedAsync(IReadOnlyList<UntaggedManifest> manifests, long cycle, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var manifest in manifests)
        {
            if (await WhileCondemnedAsync(manifest.Revision.Digest, cycle, () => GcSweeper.RemoveManifestAsync(driver, manifest, cancellationToken),
                    cancellationToken))
            {
                removed++;
            }
        }

        return removed;
    }

    private async Task<SweepCounts> SweepAsync(MarkResult mark, long cycle, DateTimeOffset youngerThan, CancellationToken cancellationToken)
    {
        var counts = new SweepCounts();
        await foreach (var (digest, data) in GcSweeper.BlobsAsync(driver, digest => !mark.IsMarked(digest), cancellationToken))
        {
            if (data.ModifiedAt > youngerThan)
            {
                counts.Young++;
            }
            else if (await WhileCondemnedAsync(digest, cycle, () => driver.DeleteAsync(GcPaths.BlobFolder(digest), cancellationToken), cancellationToken))
            {
                counts.Deleted++;
                counts.Bytes += data.Size;
            }
            else
            {
                counts.Protected++;
            }
        }

        return counts;
    }

    /// <summary>Runs <paramref name="delete"/> while the digest is condemned; false (and nothing run) when a request protects it.</summary>
    private async Task<bool> WhileCondemnedAsync(Digest digest, long cycle, Func<Task> delete, CancellationToken cancellationToken)
    {
        if (!await barrier.TryCondemnAsync(digest, cycle, cancellationToken))
        {
            return false;
        }

        try
        {
            await delete();
            return true;
        }
        finally
        {
            // Requests waiting to write this content anew go on, whether the deletion finished or failed.
            await barrier.ReleaseAsync(digest, CancellationToken.None);
        }
    }

    private sealed class CycleGuard(ICollectionBarrier barrier, long cycle) : IDeletionGuard
    {
        public ValueTask<bool> TryCondemnAsync(Digest digest, CancellationToken cancellationToken) => barrier.TryCondemnAsync(digest, cycle, cancellationToken);

        public ValueTask ReleaseAsync(Digest digest, CancellationToken cancellationToken) => barrier.ReleaseAsync(digest, cancellationToken);
    }

    private sealed class SweepCounts
    {
        public int Deleted { get; set; }

        public long Bytes { get; set; }

        public int Protected { get; set; }

        public int Young { get; set; }
    }
}
