using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>
/// garbage-collect beside a running berth serve on the same storage: it refuses while the node takes pushes, unless
/// --force; a read-only node, a stopped node and (once its record is stale) a killed node do not stop it.
/// </summary>
public sealed class GarbageCollectRunningNodesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GarbageCollect_NodeTakesPushes_RefusesNamingIt_DryRunWarns_ForceRuns_AfterCleanStopRuns()
    {
        using var folder = new GarbageCollectFolder();
        var orphan = await folder.PushOrphanAsync("app", [1, 2, 3], Ct);
        await using var berth = await BerthProcess.StartAsync(folder.Root, cancellationToken: Ct);

        var refused = await BerthProcess.RunToEndAsync(["garbage-collect", folder.ConfigFile]);
        var dryRun = await BerthProcess.RunToEndAsync(["garbage-collect", "--dry-run", folder.ConfigFile]);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("garbage-collect refused: a berth node is serving this storage", refused.Output, StringComparison.Ordinal);
        Assert.Contains($", pid {berth.ProcessId}, running since ", refused.Output, StringComparison.Ordinal);
        Assert.Contains(": takes pushes (last seen ", refused.Output, StringComparison.Ordinal);
        Assert.Contains("storage.maintenance.readonly.enabled", refused.Output, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("blobs marked", refused.Output, StringComparison.Ordinal);
        Assert.True(folder.BlobExists(orphan));
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("a real run would refuse", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains($"blob eligible for deletion: {orphan}", dryRun.Output, StringComparison.Ordinal);
        Assert.True(folder.BlobExists(orphan));

        var forced = await BerthProcess.RunToEndAsync(["garbage-collect", "--force", folder.ConfigFile]);

        Assert.Equal(0, forced.ExitCode);
        Assert.False(folder.BlobExists(orphan));

        await berth.StopAsync();
        var afterStop = await BerthProcess.RunToEndAsync(["garbage-collect", folder.ConfigFile]);

        Assert.Equal(0, afterStop.ExitCode);
        Assert.Empty(NodeRecords(folder));
    }

    [Fact]
    public async Task GarbageCollect_NodeIsReadOnly_Runs()
    {
        using var folder = new GarbageCollectFolder();
        var orphan = await folder.PushOrphanAsync("app", [4, 5, 6], Ct);
        await using var berth = await BerthProcess.StartAsync(folder.Root,
            new Dictionary<string, string> { ["REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED"] = "true" }, cancellationToken: Ct);

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", folder.ConfigFile]);

        Assert.True(exitCode == 0, output);
        Assert.False(folder.BlobExists(orphan));
        Assert.Empty(NodeRecords(folder));
    }

    [Fact]
    public async Task GarbageCollect_NodeKilled_RunsOnceItsRecordIsStale_AndRemovesTheRecord()
    {
        using var folder = new GarbageCollectFolder();
        // A beat of 200 ms makes the killed node's record stale after 600 ms instead of 30 s.
        await using var berth = await BerthProcess.StartAsync(folder.Root,
            new Dictionary<string, string> { ["BERTH_NODE_BEAT_INTERVAL"] = "200ms" }, cancellationToken: Ct);
        Assert.Single(NodeRecords(folder));

        await berth.KillAsync();

        Assert.Single(NodeRecords(folder));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (int ExitCode, string Output) run;
        while ((run = await BerthProcess.RunToEndAsync(["garbage-collect", folder.ConfigFile])).ExitCode == 3 && DateTime.UtcNow < deadline)
        {
            // Refused while the record is younger than three beats; each run takes longer than one beat anyway.
        }

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Empty(NodeRecords(folder));
    }

    private static string[] NodeRecords(GarbageCollectFolder folder)
    {
        var nodes = Path.Combine(folder.V2, "_berth", "nodes");
        return Directory.Exists(nodes) ? Directory.GetFiles(nodes) : [];
    }
}
