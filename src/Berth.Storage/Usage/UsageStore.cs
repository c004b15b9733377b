using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Usage;

/// <summary>
/// The last figures of storage used, in the store itself (<see cref="BerthPaths.Usage"/>) through any driver, so that
/// every node sharing the store and a node restarted read what the last collection or scan found. Replaced whole and
/// atomically; the one writer at a time is whoever holds the mark (offline collection, or the node holding the lease).
/// </summary>
public sealed class UsageStore(IStorageDriver driver)
{
    public Task WriteAsync(StorageUsage usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return driver.WriteAllAsync(BerthPaths.Usage, usage.ToJson(), cancellationToken);
    }

    /// <returns>The figures, or null when none were written yet (or the file is unreadable as figures).</returns>
    public async Task<StorageUsage?> ReadAsync(CancellationToken cancellationToken) =>
        await driver.ReadAllAsync(BerthPaths.Usage, cancellationToken) is { } content ? StorageUsage.Parse(content) : null;

    /// <summary>The file's size and time, to tell whether it changed since it was last read; null when there is none.</summary>
    public Task<StorageEntry?> StatAsync(CancellationToken cancellationToken) => driver.StatAsync(BerthPaths.Usage, cancellationToken);
}
