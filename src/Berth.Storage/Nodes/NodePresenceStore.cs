using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Nodes;

/// <summary>
/// The presence records of the nodes serving a store (<see cref="BerthPaths.Nodes"/>), through any storage driver.
/// Each node writes only its own file, so no two writers meet.
/// </summary>
public sealed class NodePresenceStore(IStorageDriver driver)
{
    public Task WriteAsync(NodePresence presence, CancellationToken cancellationToken) =>
        driver.WriteAllAsync(BerthPaths.Node(presence.NodeId), presence.ToJson(), cancellationToken);

    public Task RemoveAsync(string nodeId, CancellationToken cancellationToken) =>
        driver.DeleteAsync(BerthPaths.Node(nodeId), cancellationToken);

    /// <summary>Every readable record, live or stale; a file that is no record is skipped.</summary>
    public async Task<IReadOnlyList<NodePresence>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var records = new List<NodePresence>();
        await foreach (var entry in driver.ListAsync(BerthPaths.Nodes, cancellationToken))
        {
            if (!entry.IsDirectory && await driver.ReadAllAsync(entry.Path, cancellationToken) is { } content
                && NodePresence.Parse(content) is { } presence)
            {
                records.Add(presence);
            }
        }

        return records;
    }

    /// <summary>The nodes alive at <paramref name="now"/> that change the store: what an offline collection must not run beside.</summary>
    public async Task<IReadOnlyList<NodePresence>> LiveWritersAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync(cancellationToken)).Where(node => node.IsLiveAt(now) && node.WritesToStore).OrderBy(node => node.StartedAt)];

    /// <summary>Removes the records of nodes that died without removing their own; returns how many.</summary>
    public async Task<int> RemoveStaleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var stale in (await ReadAllAsync(cancellationToken)).Where(node => !node.IsLiveAt(now)))
        {
            await RemoveAsync(stale.NodeId, cancellationToken);
            removed++;
        }

        return removed;
    }
}
