using System.Net;
using System.Net.Http.Headers;
using Berth.TestKit;
using Berth.Tests.Health;
using Berth.Tests.Metrics;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// <c>storage.cache.blobs</c> on a berth over S3 (Ceph RGW): the first GET of a blob is the store's (a 307, or the
/// bytes streamed with redirects off), the node copies the blob meanwhile, and later GETs are answered from that copy,
/// ranges too, while a blob unlinked from its repository is refused even though a copy is held. A restart keeps the copies.
/// </summary>
[Collection(RgwGroup.Name)]
public sealed class S3BlobCacheProcessTests(RgwFixture fixture) : IDisposable
{
    private readonly TempDirectory _cache = new("berth-blobcache");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task Get_SecondPullOfABlob_ServedFromTheNodeCopyWithoutRedirect()
    {
        var environment = await EnvironmentAsync("cache");
        var blob = Digests.RandomBytes(3 << 20);
        HttpStatusCode[] statuses;
        await using (var berth = await BerthProcess.StartWithStorageAsync(environment, Ct))
        {
            using var http = NoRedirects(berth);
            var pushed = await new RegistryClient(http).PushBlobAsync("labs/cache", blob);
            var url = $"v2/labs/cache/blobs/{pushed.Digest}";

            using (var first = await http.GetAsync(url, Ct))
            {
                Assert.Equal(HttpStatusCode.TemporaryRedirect, first.StatusCode);
            }

            await WaitForCopyAsync(pushed.Digest);
            using (var second = await http.GetAsync(url, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, second.StatusCode);
                Assert.Equal(pushed.Digest, second.Headers.GetValues("Docker-Content-Digest").Single());
                Assert.Equal(blob, await second.Content.ReadAsByteArrayAsync(Ct));
            }

            using var range = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
            using (var partial = await http.SendAsync(range, Ct))
            {
                Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
                Assert.Equal(blob[1000..2000], await partial.Content.ReadAsByteArrayAsync(Ct));
            }

            // Unlinked from the repository: the copy is still on disk, but the store's check refuses the blob first.
            using (var deleted = await http.DeleteAsync(url, Ct))
            {
                Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            }

            using var gone = await http.GetAsync(url, Ct);
            statuses = [gone.StatusCode];
            Assert.Contains("BLOB_UNKNOWN", await gone.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal([HttpStatusCode.NotFound], statuses);
        await using var restarted = await BerthProcess.StartWithStorageAsync(environment, Ct);
        Assert.Contains("holds 1 blobs", restarted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RedirectsDisabled_FirstStreamedFromTheStoreThenFromTheCopy()
    {
        var environment = await EnvironmentAsync("cachestream");
        environment["REGISTRY_STORAGE_REDIRECT_DISABLE"] = "true";
        var debugPort = FreePort.Next();
        environment["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}";
        environment["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true";
        var blob = Digests.RandomBytes(1 << 20);
        await using var berth = await BerthProcess.StartWithStorageAsync(environment, Ct);
        using var http = NoRedirects(berth);
        var pushed = await new RegistryClient(http).PushBlobAsync("labs/cache", blob);
        var url = $"v2/labs/cache/blobs/{pushed.Digest}";

        Assert.Equal(blob, await http.GetByteArrayAsync(url, Ct));
        await WaitForCopyAsync(pushed.Digest);
        var metrics = new Uri($"http://127.0.0.1:{debugPort}/metrics");
        var readsBefore = await StoreReadsAsync(http, berth, metrics);
        Assert.Equal(blob, await http.GetByteArrayAsync(url, Ct));
        var readsAfter = await StoreReadsAsync(http, berth, metrics);

        // The first GET and the copy each read the object; the second GET reads none.
        Assert.Equal(2, readsBefore);
        Assert.Equal(readsBefore, readsAfter);
    }

    /// <summary>How many times berth has opened an object of the bucket for reading (registry:2's <c>Reader</c> action).</summary>
    private static async Task<double> StoreReadsAsync(HttpClient http, BerthProcess berth, Uri metrics) =>
        (await MetricsScrape.IdleAsync(http, berth, metrics, Ct)).Value("registry_storage_action_seconds_count", ("driver", "s3"), ("action", "Reader"));

    private async Task<Dictionary<string, string>> EnvironmentAsync(string prefix)
    {
        var environment = await fixture.NewBucketEnvironmentAsync(prefix, Ct);
        environment["REGISTRY_STORAGE_DELETE_ENABLED"] = "true";
        environment["REGISTRY_STORAGE_CACHE_BLOBS_DIRECTORY"] = _cache.Path;
        return environment;
    }

    private static HttpClient NoRedirects(BerthProcess berth) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = berth.BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    private Task WaitForCopyAsync(string digest) =>
        Poll.UntilAsync(() => File.Exists(_cache.Combine("sha256", digest["sha256:".Length..])), "the node's copy of the blob", TimeSpan.FromSeconds(60));
}
