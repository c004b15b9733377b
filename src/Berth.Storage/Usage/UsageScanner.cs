using Berth.Storage.Drivers;
using Berth.Storage.Gc;

namespace Berth.Storage.Usage;

/// <summary>
/// Storage used, counted without collecting: garbage collection's mark alone (every manifest kept, as a collection
/// without --delete-untagged keeps them), then the figures written to <see cref="UsageStore"/>. It only reads the
/// registry's files, so it runs beside pushes with no barrier: a push during the scan is counted at the next one.
/// For when online collection is off; when it is on, its own mark counts.
/// </summary>
public sealed class UsageScanner(IStorageDriver driver, TimeProvider time)
{
    /// <exception cref="GarbageCollectionException">A stored manifest cannot be read: nothing was written.</exception>
    public async Task<StorageUsage> ScanAsync(CancellationToken cancellationToken)
    {
        var mark = await new GcMarker(driver, new GcReport(TextWriter.Null)).MarkAsync(deleteUntagged: false, cancellationToken);
        var usage = mark.InUse.Snapshot(time.GetUtcNow());
        await new UsageStore(driver).WriteAsync(usage, cancellationToken);
        return usage;
    }
}
