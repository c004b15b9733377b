using System.Net;
using Berth.TestKit;
using Berth.Tests.Health;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>A berth on S3 (Ceph RGW) redirects blob GETs to the gateway: the blob's size still counts as pulled.</summary>
[Collection(RgwGroup.Name)]
public sealed class S3RedirectMetricsProcessTests(RgwFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Scrape_BlobGetRedirectedToTheStore_BlobSizeCountedAsPulled()
    {
        var environment = await fixture.NewBucketEnvironmentAsync("metrics", Ct);
        var debugPort = FreePort.Next();
        environment["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}";
        environment["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true";
        await using var berth = await BerthProcess.StartWithStorageAsync(environment, Ct);
        var metrics = new Uri($"http://127.0.0.1:{debugPort}/metrics");
        using var registry = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = berth.BaseUri };
        var blob = await new RegistryClient(registry).PushBlobAsync("labs/s3", Digests.RandomBytes(3000));

        using (var redirected = await registry.GetAsync($"v2/labs/s3/blobs/{blob.Digest}", Ct))
        {
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
            Assert.Equal(blob.Bytes, await _http.GetByteArrayAsync(redirected.Headers.Location, Ct));
        }

        var scrape = await MetricsScrape.IdleAsync(_http, berth, metrics, Ct);
        Assert.Equal(3000, scrape.Value("berth_repository_bytes_pushed_total", ("repository", "labs/s3")));
        Assert.Equal(3000, scrape.Value("berth_repository_bytes_pulled_total", ("repository", "labs/s3")));
    }
}
