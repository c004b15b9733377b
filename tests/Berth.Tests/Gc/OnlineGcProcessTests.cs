using System.Net;
using System.Text.RegularExpressions;
using Berth.TestKit;
using Berth.Tests.Http;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>
/// The heart of online collection: a real berth collects with no grace, a cycle every 50 ms, while clients push
/// images that share base layers, retag, delete tags and manifests and push the same content again, as docker does
/// (HEAD each blob, upload what is missing, PUT the manifest, and start over on MANIFEST_BLOB_UNKNOWN). Afterwards
/// every tag pulls whole with verified digests, and storage holds exactly the blobs the remaining manifests name:
/// collection really happened, and it took nothing still in use. The seed is printed for replay. Run on one node, and
/// on two nodes sharing the storage and a Redis, with the clients' requests spread over both.
/// </summary>
public sealed partial class OnlineGcProcessTests : IDisposable
{
    private const int Clients = 4;
    private static readonly TimeSpan PushingFor = TimeSpan.FromSeconds(12);
    private readonly TempDirectory _folder = new("berth-online-gc");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_PushesRetagsAndDeletesDuringBackToBackCollections_EveryTagPullsWholeAndGarbageIsGone()
    {
        var root = _folder.Combine("root");
        await using var berth = await BerthProcess.StartAsync(root, CollectingEnvironment(), cancellationToken: Ct);
        await PushCollectAndVerifyAsync(root, [berth], minimumCycles: 20);
    }

    [Fact]
    public async Task Serve_TwoNodesSharingRedis_PushesSpreadOverBothDuringCollections_EveryTagPullsWholeAndGarbageIsGone()
    {
        var root = _folder.Combine("root");
        await using var redis = await RedisServer.StartAsync(cancellationToken: Ct);
        var environment = CollectingEnvironment();
        environment["REGISTRY_REDIS_ADDR"] = redis.Address;
        await using var first = await BerthProcess.StartAsync(root, environment, cancellationToken: Ct);
        await using var second = await BerthProcess.StartAsync(root, environment, cancellationToken: Ct);
        // A new cycle waits for both nodes' next beat (four a second): fewer cycles than on one node.
        await PushCollectAndVerifyAsync(root, [first, second], minimumCycles: 4);
    }

    private static Dictionary<string, string> CollectingEnvironment() => new()
    {
        ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true",
        ["REGISTRY_STORAGE_MAINTENANCE_GC_ENABLED"] = "true",
        ["REGISTRY_STORAGE_MAINTENANCE_GC_INTERVAL"] = "50ms",
        ["REGISTRY_STORAGE_MAINTENANCE_GC_GRACE"] = "0s",
        ["REGISTRY_LOG_ACCESSLOG_DISABLED"] = "true",
    };

    private static async Task PushCollectAndVerifyAsync(string root, IReadOnlyList<BerthProcess> nodes, int minimumCycles)
    {
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var https = nodes.Select(node => new HttpClient { BaseAddress = node.BaseUri, Timeout = TimeSpan.FromSeconds(60) }).ToList();
        try
        {
            await PushCollectAndVerifyAsync(root, nodes, https, seed, minimumCycles);
        }
        finally
        {
            https.ForEach(http => http.Dispose());
        }
    }

    private static async Task PushCollectAndVerifyAsync(string root, IReadOnlyList<BerthProcess> nodes, List<HttpClient> https, int seed, int minimumCycles)
    {
        var bases = Enumerable.Range(0, 3).Select(_ => TestManifests.Layer()).ToArray();
        using var stop = new CancellationTokenSource(PushingFor);
        var clients = Enumerable.Range(0, Clients).Select(i => new PushingClient(https, $"gc/c{i}", bases, new Random(seed + i))).ToList();
        await Task.WhenAll(clients.Select(client => Task.Run(() => client.RunAsync(stop.Token), Ct)));

        // Protection lasts two cycles: after three more, everything unreferenced must be gone. Cycle numbers are
        // shared by the nodes (one Redis counter); whichever node holds the lease logs its cycles.
        string Output() => string.Concat(nodes.Select(node => node.Output));
        var cyclesAtStop = Cycles(Output()).Max;
        await Poll.UntilAsync(() => Cycles(Output()).Max >= cyclesAtStop + 3, "three more collections", TimeSpan.FromSeconds(60));
        var cycles = Cycles(Output());
        var summary = $"seed {seed}: {clients.Sum(c => c.Pushes)} pushes, {clients.Sum(c => c.Retries)} retried, "
            + $"{clients.Sum(c => c.Deletes)} deletes, {cycles.Max} cycles, {cycles.BlobsDeleted} blobs collected";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);

        var verified = 0;
        foreach (var client in clients)
        {
            verified += await client.VerifyAsync();
        }

        Assert.True(clients.Sum(c => c.Pushes) > 50, summary);
        Assert.True(cycles.Max > minimumCycles, summary);
        Assert.True(cycles.BlobsDeleted > 10, summary);
        Assert.True(verified > 0, summary);
        Assert.Equal(StoredBlobs.Referenced(root), StoredBlobs.Present(root));
    }

    private static (long Max, long BlobsDeleted) Cycles(string output)
    {
        var matches = CycleLine().Matches(output);
        return matches.Count == 0
            ? (0, 0)
            : (matches.Max(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)),
                matches.Sum(m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"garbage collection: cycle (\d+): \d+ blobs in use, (\d+) blobs")]
    private static partial Regex CycleLine();

    /// <summary>
    /// One client with a repository of its own and three tags, keeping what each tag should serve; each request goes to
    /// one of the nodes at random.
    /// </summary>
    private sealed class PushingClient(IReadOnlyList<HttpClient> nodes, string repository, Content[] bases, Random random)
    {
        private readonly Dictionary<string, (Content Manifest, Content[] Blobs)> _expected = [];

        private HttpClient Http => nodes[random.Next(nodes.Count)];

        public int Pushes { get; private set; }

        public int Retries { get; private set; }

        public int Deletes { get; private set; }

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var tag = "t" + random.Next(3);
                var roll = random.Next(100);
                if (roll < 60 || !_expected.TryGetValue(tag, out var current))
                {
                    var config = TestManifests.Config();
                    Content[] layers = [bases[random.Next(bases.Length)], TestManifests.Layer()];
                    await PushAsync(tag, TestManifests.Image(config, layers), [config, .. layers]);
                }
                else if (roll < 75)
                {
                    await PushAsync(tag, current.Manifest, current.Blobs);
                }
                else if (roll < 90)
                {
                    await DeleteAsync(tag);
                    _expected.Remove(tag);
                }
                else
                {
                    await DeleteAsync(current.Manifest.Digest);
                    foreach (var pointing in _expected.Where(e => e.Value.Manifest.Digest == current.Manifest.Digest).Select(e => e.Key).ToList())
                    {
                        _expected.Remove(pointing);
                    }
                }
            }
        }

        /// <summary>Pulls every tag it expects and checks each digest; a tag it deleted must be gone. Returns the images checked.</summary>
        public async Task<int> VerifyAsync()
        {
            foreach (var tag in new[] { "t0", "t1", "t2" }.Where(tag => !_expected.ContainsKey(tag)))
            {
                using var gone = await Http.GetAsync($"v2/{repository}/manifests/{tag}", Ct);
                Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            }

            foreach (var (tag, (manifest, blobs)) in _expected)
            {
                await WholeImage.AssertPullsAsync(Http, repository, tag, manifest, blobs, Ct);
            }

            return _expected.Count;
        }

        /// <summary>As docker pushes: HEAD each blob, upload the missing ones, PUT the manifest; on MANIFEST_BLOB_UNKNOWN, again.</summary>
        private async Task PushAsync(string tag, Content manifest, Content[] blobs)
        {
            for (var attempt = 1; ; attempt++)
            {
                foreach (var blob in blobs)
                {
                    using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{blob.Digest}"), Ct);
                    if (head.StatusCode != HttpStatusCode.OK)
                    {
                        using var upload = await Http.PostAsync($"v2/{repository}/blobs/uploads/?digest={blob.Digest}", new ByteArrayContent(blob.Bytes), Ct);
                        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
                    }
                }

                using var put = await Http.PutAsync($"v2/{repository}/manifests/{tag}", RegistryClient.ManifestBody(manifest), Ct);
                if (put.StatusCode == HttpStatusCode.Created)
                {
                    _expected[tag] = (manifest, blobs);
                    Pushes++;
                    return;
                }

                var body = await put.Content.ReadAsStringAsync(Ct);
                Assert.True(put.StatusCode == HttpStatusCode.BadRequest && body.Contains("MANIFEST_BLOB_UNKNOWN", StringComparison.Ordinal) && attempt < 10,
                    $"{repository}:{tag} attempt {attempt}: {(int)put.StatusCode} {body}");
                Retries++;
            }
        }

        private async Task DeleteAsync(string reference)
        {
            using var response = await Http.DeleteAsync($"v2/{repository}/manifests/{reference}", Ct);
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound, $"DELETE {reference}: {(int)response.StatusCode}");
            Deletes++;
        }
    }
}
