using System.Globalization;
using Berth.Storage.Drivers;
using Berth.Storage.Nodes;

namespace Berth.Cli;

/// <summary>
/// garbage-collect's look at the store before it collects: an offline collection beside a node that takes pushes
/// (or collects online) can delete the layers of a push in progress, so it refuses while the store's presence records
/// name such a node, unless told <c>--force</c>. A dry run deletes nothing and goes on, with the same list as a warning.
/// </summary>
internal static class RunningNodesCheck
{
    /// <summary>Exit code of garbage-collect when it refused because of running nodes.</summary>
    public const int Refused = 3;

    /// <returns>Whether the collection may run.</returns>
    public static async Task<bool> AllowsAsync(IStorageDriver driver, bool dryRun, TextWriter error, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var running = await new NodePresenceStore(driver).LiveWritersAsync(now, cancellationToken);
        if (running.Count == 0)
        {
            return true;
        }

        var nodes = running.Count == 1 ? "a berth node is" : running.Count + " berth nodes are";
        await error.WriteLineAsync(dryRun
            ? $"berth: warning: {nodes} serving this storage; a real run would refuse, and this dry run's list may be out of date at once:"
            : $"berth: garbage-collect refused: {nodes} serving this storage, and collecting beside {(running.Count == 1 ? "it" : "them")} could delete the layers of a push in progress:");
        foreach (var node in running)
        {
            var seen = (int)Math.Max(0, (now - node.LastBeat).TotalSeconds);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {node.Describe()} (last seen {seen} s ago)"));
        }

        if (!dryRun)
        {
            await error.WriteLineAsync("Stop " + (running.Count == 1 ? "it" : "them") + ", or set storage.maintenance.readonly.enabled: true "
                + "on each and restart it (pushes then answer 405 and online collection pauses), then run garbage-collect again. "
                + "--force collects anyway. A node killed without a clean stop is forgotten "
                + (NodePresence.BeatsBeforeStale * NodePresence.DefaultBeatInterval).TotalSeconds.ToString(CultureInfo.InvariantCulture)
                + " s after its last beat.");
        }

        return dryRun;
    }
}
