using System.Net;
using System.Net.Http.Headers;
using Berth.TestKit;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>
/// A real berth with metrics on: bytes per repository with one label to give (<c>http.debug.prometheus.repositories: 1</c>),
/// and the uploads gauge while an upload body is held half sent.
/// </summary>
public sealed class RepositoryMetricsProcessTests : IDisposable
{
    private const string Pushed = "berth_repository_bytes_pushed_total";
    private const string Pulled = "berth_repository_bytes_pulled_total";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _folder = new("berth-repo-metrics");
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Scrape_TwoRepositoriesOneLabel_FirstNamedSecondOtherWithTheBytesMoved()
    {
        var (berth, metrics) = await StartAsync(repositories: 1);
        await using var _ = berth;
        using var registry = new HttpClient { BaseAddress = berth.BaseUri };
        var client = new RegistryClient(registry);
        var (firstConfig, firstLayer) = (TestManifests.Config(), TestManifests.Layer());
        var firstManifest = TestManifests.Image(firstConfig, [firstLayer]);
        var (secondConfig, secondLayer) = (TestManifests.Config(), new Content(TestManifests.OciLayer, Digests.RandomBytes(5000)));
        var secondManifest = TestManifests.Image(secondConfig, [secondLayer]);

        // labs/first moves the first byte, so it takes the one label; labs/second's layer goes up in a chunked PATCH.
        await client.PushImageAsync("labs/first", "v1", firstManifest, firstConfig, firstLayer);
        await client.PushBlobAsync("labs/second", secondConfig);
        await PatchChunkedAsync(registry, await client.StartUploadAsync("labs/second"), secondLayer);
        using (var put = await client.PutManifestAsync("labs/second", "v1", secondManifest))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        await PullAsync(registry, "v2/labs/first/manifests/v1", firstManifest.MediaType, HttpStatusCode.OK);
        await PullAsync(registry, $"v2/labs/first/blobs/{firstLayer.Digest}", null, HttpStatusCode.OK);
        await PullAsync(registry, $"v2/labs/first/blobs/{firstLayer.Digest}", null, HttpStatusCode.PartialContent, range: (10, 19));
        await PullAsync(registry, $"v2/labs/second/manifests/{secondManifest.Digest}", secondManifest.MediaType, HttpStatusCode.OK);
        await PullAsync(registry, $"v2/labs/second/blobs/{secondLayer.Digest}", null, HttpStatusCode.OK);
        // Neither a HEAD nor an error moves a blob's bytes.
        await PullAsync(registry, $"v2/labs/second/blobs/{secondLayer.Digest}", null, HttpStatusCode.OK, head: true);
        await PullAsync(registry, $"v2/labs/second/blobs/{Digests.Absent()}", null, HttpStatusCode.NotFound);

        var scrape = await ScrapeIdleAsync(berth, metrics);

        var repositories = scrape.Series.Where(s => s.StartsWith("berth_repository_bytes", StringComparison.Ordinal)).Select(s => s.Split('"')[1]);
        Assert.Equal(["labs/first", "other"], repositories.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(firstConfig.Size + firstLayer.Size + firstManifest.Size, scrape.Value(Pushed, ("repository", "labs/first")));
        Assert.Equal(firstManifest.Size + firstLayer.Size + 10, scrape.Value(Pulled, ("repository", "labs/first")));
        Assert.Equal(secondConfig.Size + secondLayer.Size + secondManifest.Size, scrape.Value(Pushed, ("repository", "other")));
        Assert.Equal(secondManifest.Size + secondLayer.Size, scrape.Value(Pulled, ("repository", "other")));
    }

    [Fact]
    public async Task Scrape_UploadBodyHeldHalfSent_UploadsInProgressOneThenZero()
    {
        var (berth, metrics) = await StartAsync(repositories: 50);
        await using var _ = berth;
        using var registry = new HttpClient { BaseAddress = berth.BaseUri };
        var location = await new RegistryClient(registry).StartUploadAsync("labs/held");
        // A session started and idle is in storage, not in a request: not counted.
        Assert.Equal(0, (await ScrapeIdleAsync(berth, metrics)).Value("berth_uploads_in_progress"));

        var release = new TaskCompletionSource();
        var (first, rest) = (Digests.RandomBytes(4096), Digests.RandomBytes(8192));
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new HeldBody(first, rest, release.Task) };
        var sending = registry.SendAsync(request, Ct);
        try
        {
            await Readiness.WaitUntilAsync(async () => (await ScrapeAsync(metrics)).Value("berth_uploads_in_progress") == 1, Deadline,
                "the held PATCH to be counted in progress", Ct);
        }
        finally
        {
            release.TrySetResult();
        }

        using (var patched = await sending)
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        }

        var scrape = await ScrapeIdleAsync(berth, metrics);
        Assert.Equal(0, scrape.Value("berth_uploads_in_progress"));
        Assert.Equal(first.Length + rest.Length, scrape.Value(Pushed, ("repository", "labs/held")));
    }

    private async Task<(BerthProcess Berth, Uri Metrics)> StartAsync(int repositories)
    {
        var debugPort = FreePort.Next();
        var berth = await BerthProcess.StartAsync(_folder.Combine("registry"), new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}",
            ["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true",
            ["REGISTRY_HTTP_DEBUG_PROMETHEUS_REPOSITORIES"] = repositories.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken: Ct);
        return (berth, new Uri($"http://127.0.0.1:{debugPort}/metrics"));
    }

    private Task<PrometheusText> ScrapeIdleAsync(BerthProcess berth, Uri metrics) => MetricsScrape.IdleAsync(_http, berth, metrics, Ct);

    private Task<PrometheusText> ScrapeAsync(Uri metrics) => MetricsScrape.OnceAsync(_http, metrics, Ct);

    private static async Task PullAsync(HttpClient registry, string path, string? accept, HttpStatusCode expected, (long From, long To)? range = null,
        bool head = false)
    {
        using var request = new HttpRequestMessage(head ? HttpMethod.Head : HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (range is { } bytes)
        {
            request.Headers.Range = new RangeHeaderValue(bytes.From, bytes.To);
        }

        using var response = await registry.SendAsync(request, Ct);
        Assert.Equal(expected, response.StatusCode);
        await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>One PATCH whose body has no declared length (chunked), then the PUT that completes the upload.</summary>
    private static async Task PatchChunkedAsync(HttpClient registry, Uri location, Content blob)
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new HeldBody(blob.Bytes[..1000], blob.Bytes[1000..], Task.CompletedTask) };
        using (var patched = await registry.SendAsync(patch, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        }

        using var put = await registry.PutAsync(new Uri(registry.BaseAddress!, location) + $"?digest={blob.Digest}", null, Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    /// <summary>A chunked body: <c>first</c>, flushed so the server is reading, then <c>rest</c> once <c>release</c> completes.</summary>
    private sealed class HeldBody(byte[] first, byte[] rest, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(rest);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
