using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Berth.TestKit;
using Berth.Tests.Http;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// The concurrency run of online collection, on any storage and any number of nodes: <see cref="Clients"/> clients push
/// images that share base layers, retag, delete tags and manifests and push the same content again, their requests
/// spread over the nodes, while the nodes collect back to back with no grace. Afterwards every tag pulls whole with
/// verified digests, and storage holds exactly the blobs the remaining manifests name: collection really happened,
/// and it took nothing still in use. The seed is printed for replay.
/// </summary>
internal static partial class CollectionUnderPushes
{
    private const int Clients = 4;

    /// <summary>berth's variables for collecting every <paramref name="interval"/> with no grace, deletes enabled.</summary>
    public static Dictionary<string, string> CollectingEnvironment(string interval) => new()
    {
        ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true",
        ["REGISTRY_STORAGE_MAINTENANCE_GC_ENABLED"] = "true",
        ["REGISTRY_STORAGE_MAINTENANCE_GC_INTERVAL"] = interval,
        ["REGISTRY_STORAGE_MAINTENANCE_GC_GRACE"] = "0s",
        ["REGISTRY_LOG_ACCESSLOG_DISABLED"] = "true",
    };

    /// <param name="nodes">The berth processes sharing one storage (and a Redis when more than one).</param>
    /// <param name="pushingFor">How long the clients push.</param>
    /// <param name="minimumCycles">Collections that must have run by the end, or the run proved little.</param>
    /// <param name="copyOfStore">Makes a local copy of the storage (its root folder, holding <c>docker/</c>) once the run is over.</param>
    /// <returns>A line of figures for the log: pushes, retries, deletes, cycles, blobs collected, images verified.</returns>
    public static async Task<string> RunAsync(IReadOnlyList<BerthProcess> nodes, TimeSpan pushingFor, int minimumCycles,
        Func<Task<string>> copyOfStore)
    {
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var https = nodes.Select(node => new HttpClient { BaseAddress = node.BaseUri, Timeout = TimeSpan.FromSeconds(60) }).ToList();
        try
        {
            return await RunAsync(nodes, https, seed, pushingFor, minimumCycles, copyOfStore);
        }
        finally
        {
            https.ForEach(http => http.Dispose());
        }
    }

    private static async Task<string> RunAsync(IReadOnlyList<BerthProcess> nodes, List<HttpClient> https, int seed, TimeSpan pushingFor,
        int minimumCycles, Func<Task<string>> copyOfStore)
    {
        var bases = Enumerable.Range(0, 3).Select(_ => TestManifests.Layer()).ToArray();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(i => new PushingClient(https, $"gc/c{i}", bases, new Random(seed + i))).ToList();
        var pushing = clients.Select(client => Task.Run(() => client.RunAsync(stop.Token), TestContext.Current.CancellationToken)).ToList();
        // Cycle numbers are shared by the nodes (one Redis counter); whichever node holds the lease logs its cycles.
        string Output() => string.Concat(nodes.Select(node => node.Output));
        try
        {
            // At least pushingFor, and on until the run did enough to prove something (a loaded machine does less per
            // second); the asserts below report what was done if it never is.
            await Task.Delay(pushingFor, TestContext.Current.CancellationToken);
            var longest = Stopwatch.StartNew();
            while (!DidEnough(clients, Cycles(Output()), minimumCycles) && longest.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(pushing);
        }

        // Protection lasts two cycles: after three more, everything unreferenced must be gone.
        var cyclesAtStop = Cycles(Output()).Max;
        await Poll.UntilAsync(() => Cycles(Output()).Max >= cyclesAtStop + 3, "three more collections", TimeSpan.FromSeconds(120));
        var cycles = Cycles(Output());
        var verified = 0;
        foreach (var client in clients)
        {
            verified += await client.VerifyAsync();
        }

        var summary = $"seed {seed}, {nodes.Count} node(s): {clients.Sum(c => c.Pushes)} pushes, {clients.Sum(c => c.Retries)} retried, "
            + $"{clients.Sum(c => c.Deletes)} deletes, {cycles.Max} cycles, {cycles.BlobsDeleted} blobs collected, {verified} images verified";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        var root = await copyOfStore();
        Assert.Equal(StoredBlobs.Referenced(root), StoredBlobs.Present(root));
        // The run proved something only if there was traffic, collections, garbage collected and images to check.
        Assert.True(DidEnough(clients, cycles, minimumCycles), summary);
        Assert.True(verified > 0, summary);
        return summary;
    }

    private static bool DidEnough(List<PushingClient> clients, (long Max, long BlobsDeleted) cycles, int minimumCycles) =>
        clients.Sum(c => c.Pushes) > 50 && cycles.Max > minimumCycles && cycles.BlobsDeleted > 5;

    private static (long Max, long BlobsDeleted) Cycles(string output)
    {
        var matches = CycleLine().Matches(output);
        return matches.Count == 0
            ? (0, 0)
            : (matches.Max(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)),
                matches.Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"garbage collection: cycle (\d+): \d+ blobs in use, (\d+) blobs")]
    private static partial Regex CycleLine();
}
