using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.TestKit;
using Berth.Tests.Cli;
using Berth.Tests.Http;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// <c>kill -9</c> during pushes and online collections (grace 0, a cycle every 50 ms), several times on one root,
/// then a restart: every acknowledged image pulls whole, every tag names what it may, and what the kills left over is
/// collected: unreferenced blobs by the next collections, upload sessions by upload purging, temp files by the start
/// (made old by hand: the start removes only those an hour old, since another node may be writing the young ones),
/// the killed nodes' presence records by garbage-collect. <c>berth check</c> then finds nothing wrong. The seed is
/// printed; set BERTH_CRASH_SEED to replay one.
/// </summary>
public sealed partial class CrashProcessTests : IDisposable
{
    private const int Clients = 4;
    private const int Kills = 3;
    private const int PushesPerRound = 8;
    private readonly TempDirectory _folder = new("berth-crash");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Root => _folder.Combine("root");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_KilledDuringPushesAndCollections_RestartServesEveryAcknowledgedImageAndLeftoversAreCollected()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BERTH_CRASH_SEED"), CultureInfo.InvariantCulture, out var replay)
            ? replay : Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var bases = Enumerable.Range(0, 3).Select(_ => TestManifests.Layer()).ToArray();
        var clients = Enumerable.Range(0, Clients).Select(i => new CrashPushClient($"crash/c{i}", bases, new Random(seed + i + 1))).ToList();

        var cyclesBeforeKills = 0L;
        for (var kill = 0; kill < Kills; kill++)
        {
            cyclesBeforeKills += await PushAndKillAsync(clients, TimeSpan.FromMilliseconds(random.Next(500, 3000)));
        }

        var leftTemp = TempFiles();
        var leftUploads = UploadSessions().Length;
        var leftBlobs = StoredBlobs.Present(Root).Except(StoredBlobs.Referenced(Root)).Count();
        foreach (var temp in leftTemp)
        {
            File.SetLastWriteTimeUtc(temp, DateTime.UtcNow.AddHours(-2));
        }

        await using var berth = await BerthProcess.StartAsync(Root, ServeEnvironment(purgeUploads: true), cancellationToken: Ct);
        // Only the kills' leftovers: the new process writes temp files of its own (presence beats, collection marks)
        // from its first moment, and those may be in flight here.
        Assert.DoesNotContain(leftTemp, File.Exists);
        using var http = new HttpClient { BaseAddress = berth.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        var verified = 0;
        foreach (var client in clients)
        {
            verified += await client.VerifyAsync(http, Ct);
        }

        // Protection lasts two cycles: after three more, everything unreferenced must be gone.
        var cyclesAtVerify = LastCycle(berth.Output);
        await Poll.UntilAsync(() => LastCycle(berth.Output) >= cyclesAtVerify + 3, "three more collections", TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(() => UploadSessions().Length == 0, "upload purging", TimeSpan.FromSeconds(60));
        Assert.Equal(StoredBlobs.Referenced(Root), StoredBlobs.Present(Root));
        await berth.StopAsync();

        var summary = $"seed {seed}: {clients.Sum(c => c.Acknowledged)} pushes acknowledged, {Kills} kills cutting {clients.Sum(c => c.Cut)} requests, "
            + $"{cyclesBeforeKills} collection cycles before the kills, {verified} images verified; left over: {leftBlobs} unreferenced blobs, {leftTemp.Length} temp files, "
            + $"{leftUploads} upload sessions, {NodeRecords().Length} presence records of killed nodes";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(verified >= Kills * PushesPerRound, summary);
        Assert.Equal(Kills, NodeRecords().Length);

        await AssertNothingLeftAsync(summary);
    }

    /// <summary>
    /// Starts berth on the root, lets the clients push until collections are under way, <paramref name="pushFor"/>
    /// has passed and <see cref="PushesPerRound"/> more pushes were acknowledged, then kills it with SIGKILL under their requests. Returns the cycles it ran.
    /// </summary>
    private async Task<long> PushAndKillAsync(List<CrashPushClient> clients, TimeSpan pushFor)
    {
        await using var berth = await BerthProcess.StartAsync(Root, ServeEnvironment(purgeUploads: false), cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = berth.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        // A guard only: each client stops when the kill cuts its request.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var pushing = clients.Select(client => Task.Run(() => client.RunAsync(http, guard.Token), Ct)).ToList();
        var acknowledgedBefore = clients.Sum(c => c.Acknowledged);
        await Poll.UntilAsync(() => LastCycle(berth.Output) >= 2, "collections under way", TimeSpan.FromSeconds(60));
        await Task.Delay(pushFor, Ct);
        // A loaded machine may push little in the random time: wait for enough acknowledged pushes that the restart has
        // something to verify (the kill then lands at a moment the load decides, which is as random as the delay).
        await Poll.UntilAsync(() => clients.Sum(c => c.Acknowledged) >= acknowledgedBefore + PushesPerRound,
            $"{PushesPerRound} acknowledged pushes", TimeSpan.FromSeconds(90));
        await berth.KillAsync();
        await Task.WhenAll(pushing);
        return LastCycle(berth.Output);
    }

    /// <summary>After a clean stop: garbage-collect finds nothing to delete and removes the killed nodes' records; check finds nothing wrong.</summary>
    private async Task AssertNothingLeftAsync(string summary)
    {
        var configFile = _folder.Combine("config.yml");
        await File.WriteAllTextAsync(configFile, $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {Root}\n", Ct);

        var collect = await BerthProcess.RunToEndAsync(["garbage-collect", configFile]);

        Assert.True(collect.ExitCode == 0, collect.Output);
        Assert.Contains(" 0 blobs and 0 manifests eligible for deletion", collect.Output, StringComparison.Ordinal);
        Assert.Empty(NodeRecords());
        Assert.Empty(TempFiles());

        var check = await BerthCheck.RunAsync(null, ["--json", configFile], Ct);
        using var report = JsonDocument.Parse(check.StandardOutput);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray()
            .Select(finding => $"{finding.GetProperty("kind").GetString()} {finding.GetProperty("path").GetString()}")
            // A _layers link to a collected blob is what any collection leaves behind (registry:2's too), and reads as absent.
            .Where(finding => !finding.StartsWith("dangling-layer-link ", StringComparison.Ordinal) && !finding.StartsWith("missing-subject ", StringComparison.Ordinal))
            .ToList();
        Assert.True(findings.Count == 0, summary + "\n" + string.Join('\n', findings));
    }

    private static Dictionary<string, string> ServeEnvironment(bool purgeUploads)
    {
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_STORAGE_MAINTENANCE_GC_ENABLED"] = "true",
            ["REGISTRY_STORAGE_MAINTENANCE_GC_INTERVAL"] = "50ms",
            ["REGISTRY_STORAGE_MAINTENANCE_GC_GRACE"] = "0s",
            ["REGISTRY_LOG_ACCESSLOG_DISABLED"] = "true",
            // The killed nodes' records are stale 600 ms after the kill, so the final garbage-collect may run.
            ["BERTH_NODE_BEAT_INTERVAL"] = "200ms",
        };
        if (purgeUploads)
        {
            // Every session the kills cut is older than a second by now.
            environment["REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_ENABLED"] = "true";
            environment["REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE"] = "1s";
            environment["REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_INTERVAL"] = "1s";
        }
        else
        {
            environment["REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_ENABLED"] = "false";
        }

        return environment;
    }

    private static long LastCycle(string output) =>
        CycleLine().Matches(output).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    [GeneratedRegex(@"garbage collection: cycle (\d+):")]
    private static partial Regex CycleLine();

    private string[] TempFiles()
    {
        var temp = Path.Combine(Root, ".berth-tmp");
        return Directory.Exists(temp) ? Directory.GetFiles(temp) : [];
    }

    private string[] UploadSessions() =>
        [.. Directory.EnumerateDirectories(Path.Combine(Root, "docker", "registry", "v2", "repositories"), "_uploads", SearchOption.AllDirectories)
            .SelectMany(Directory.EnumerateDirectories)];

    private string[] NodeRecords()
    {
        var nodes = Path.Combine(Root, "docker", "registry", "v2", "_berth", "nodes");
        return Directory.Exists(nodes) ? Directory.GetFiles(nodes) : [];
    }
}
