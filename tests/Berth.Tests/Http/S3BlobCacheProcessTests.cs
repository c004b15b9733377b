using System.Net;
using System.Net.Http.Headers;
using Berth.TestKit;
using Berth.Tests.Health;
using Berth.Tests.Metrics;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// <c>storage.cache.blobs</c> on a berth over S3 (Ceph RGW): a blob pushed through the node (whole, or in an upload
/// session as docker pushes) is copied to it on the way in and pulled from that copy, ranges too, without a redirect
/// or a read of the bucket; a blob pushed through another node is the store's at its first GET (a 307, or the bytes
/// streamed with redirects off) and copied meanwhile. A blob unlinked from its repository is refused even though a
/// copy is held. A restart keeps the copies.
/// </summary>
[Collection(RgwGroup.Name)]
public sealed class S3BlobCacheProcessTests(RgwFixture fixture) : IDisposable
{
    private readonly TempDirectory _cache = new("berth-blobcache");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task Get_BlobPushedInAnUploadSessionThroughTheNode_ServedFromItsCopyWithoutRedirect()
    {
        var environment = await EnvironmentAsync("cache");
        var blob = Digests.RandomBytes(3 << 20);
        var digest = Digests.Sha256(blob);
        HttpStatusCode[] statuses;
        await using (var berth = await BerthProcess.StartWithStorageAsync(environment, Ct))
        {
            using var http = NoRedirects(berth);
            await PushInTwoPatchesAsync(http, "labs/cache", blob, digest);
            var url = $"v2/labs/cache/blobs/{digest}";

            // Made from the pushed bytes: no GET has asked for the blob yet.
            await WaitForCopyAsync(digest);
            using (var first = await http.GetAsync(url, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                Assert.Equal(digest, first.Headers.GetValues("Docker-Content-Digest").Single());
                Assert.Equal(blob, await first.Content.ReadAsByteArrayAsync(Ct));
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
    public async Task Get_RedirectsDisabled_BlobOfAnotherNodeStreamedThenFromTheCopy_BlobPushedHereNeverRead()
    {
        var environment = await EnvironmentAsync("cachestream");
        environment["REGISTRY_STORAGE_REDIRECT_DISABLE"] = "true";
        var fromElsewhere = Digests.RandomBytes(1 << 20);
        Content pushedElsewhere;
        // Another node, without the cache, pushes the first blob.
        await using (var other = await BerthProcess.StartWithStorageAsync(environment.Where(e => !e.Key.StartsWith("REGISTRY_STORAGE_CACHE_", StringComparison.Ordinal))
            .ToDictionary(), Ct))
        {
            using var otherHttp = NoRedirects(other);
            pushedElsewhere = await new RegistryClient(otherHttp).PushBlobAsync("labs/cache", fromElsewhere);
        }

        var debugPort = FreePort.Next();
        environment["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}";
        environment["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true";
        await using var berth = await BerthProcess.StartWithStorageAsync(environment, Ct);
        using var http = NoRedirects(berth);
        var metrics = new Uri($"http://127.0.0.1:{debugPort}/metrics");
        var url = $"v2/labs/cache/blobs/{pushedElsewhere.Digest}";

        Assert.Equal(fromElsewhere, await http.GetByteArrayAsync(url, Ct));
        await WaitForCopyAsync(pushedElsewhere.Digest);
        var readsBefore = await StoreReadsAsync(http, berth, metrics);
        Assert.Equal(fromElsewhere, await http.GetByteArrayAsync(url, Ct));
        // The first GET and the copy each read the object; the second GET reads none.
        Assert.Equal(2, readsBefore);
        Assert.Equal(readsBefore, await StoreReadsAsync(http, berth, metrics));

        // Pushed whole through this node: copied on the way in, so its pull reads nothing from the bucket.
        var pushedHere = await new RegistryClient(http).PushBlobAsync("labs/cache", Digests.RandomBytes(1 << 20));
        await WaitForCopyAsync(pushedHere.Digest);
        Assert.Equal(pushedHere.Bytes, await http.GetByteArrayAsync($"v2/labs/cache/blobs/{pushedHere.Digest}", Ct));
        Assert.Equal(readsBefore, await StoreReadsAsync(http, berth, metrics));
    }

    /// <summary>As docker pushes a layer: POST, the bytes in PATCHes, then PUT with the digest.</summary>
    private static async Task PushInTwoPatchesAsync(HttpClient http, string repository, byte[] blob, string digest)
    {
        var location = await new RegistryClient(http).StartUploadAsync(repository);
        var half = blob.Length / 2;
        foreach (var (start, end) in new[] { (0, half), (half, blob.Length) })
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(blob[start..end]) };
            patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{end - 1}");
            using var patched = await http.SendAsync(patch, Ct);
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            location = patched.Headers.Location!;
        }

        var separator = location.OriginalString.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var put = await http.PutAsync($"{location.OriginalString}{separator}digest={digest}", null, Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
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
