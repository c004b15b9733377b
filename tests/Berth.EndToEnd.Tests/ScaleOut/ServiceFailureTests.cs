using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ScaleOut;

/// <summary>
/// The object store or Redis goes away in the middle of a push: berth answers 503 UNAVAILABLE with the OCI body (no
/// hang, no 500), keeps nothing half-written, and carries on by itself when the service is back. This class has its
/// own RGW and Redis (the fixture is per class), so stopping them disturbs no other test.
/// </summary>
public sealed class ServiceFailureTests(ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    /// <summary>Long enough for the SDK's bounded retries, short enough to call anything longer a hang.</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(90) };

    [Fact]
    public async Task Push_GatewayStoppedAndRestarted_503ThenCompletes()
    {
        var environment = fixture.NodeEnvironment(await fixture.NewBucketAsync(), fixture.NewDatabase());
        environment["REGISTRY_HEALTH_STORAGEDRIVER_ENABLED"] = "true";
        environment["REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL"] = "1s";
        environment["REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD"] = "1";
        await using var cluster = await ScaleOutFixture.StartClusterAsync(environment, count: 1);
        var node = cluster[0];
        var (first, second) = (RandomNumberGenerator.GetBytes(1 << 20), RandomNumberGenerator.GetBytes(1 << 20));
        var location = await StartUploadAsync(node, "outage/app");
        await AssertPatchAsync(node, location, first, 0, HttpStatusCode.Accepted);

        await fixture.Rgw.StopGatewayAsync(Token);
        try
        {
            await AssertPatchAsync(node, location, second, first.Length, HttpStatusCode.ServiceUnavailable);
            await AssertUnavailableAsync(await Http.GetAsync(Url(node, "v2/outage/app/tags/list"), Token));
            await Readiness.WaitUntilAsync(async () => (await Http.GetAsync(Url(node, "v2/"), Token)).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(60), "/v2/ to report the storage driver's failure", Token);
        }
        finally
        {
            await fixture.Rgw.StartGatewayAsync(Token);
        }

        // The failed chunk left nothing: the session still holds exactly the first one, and goes on from there.
        await Readiness.WaitUntilAsync(async () => (await Http.GetAsync(Url(node, "v2/"), Token)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "/v2/ to recover", Token);
        await AssertOffsetAsync(node, location, first.Length);
        await AssertPatchAsync(node, location, second, first.Length, HttpStatusCode.Accepted);
        await AssertCompletesAsync(node, "outage/app", location, [.. first, .. second]);
    }

    [Fact]
    public async Task Push_RedisStoppedAndRestarted_503ThenCompletes()
    {
        var environment = fixture.NodeEnvironment(await fixture.NewBucketAsync(), fixture.NewDatabase());
        await using var cluster = await ScaleOutFixture.StartClusterAsync(environment, count: 1);
        var node = cluster[0];
        var image = OciImageLayout.Create(fixture.Work.Combine($"image-{Guid.NewGuid():N}"), "v1", 1000);
        await Skopeo.CopyAsync(image.Reference, cluster.Docker(0, "before/app:v1"), cancellationToken: Token);
        var content = RandomNumberGenerator.GetBytes(1 << 20);
        var location = await StartUploadAsync(node, "outage/redis");

        await fixture.Redis.StopAsync();
        try
        {
            await AssertUnavailableAsync(await Http.GetAsync(Url(node, "v2/before/app/manifests/v1"), Token));
            await AssertUnavailableAsync(await Http.GetAsync(Url(node, "v2/_catalog"), Token));
        }
        finally
        {
            // Redis comes back empty (no persistence): berth must rebuild what it keeps there from storage.
            await fixture.Redis.StartAgainAsync(Token);
        }

        await Readiness.WaitUntilAsync(async () => (await Http.GetAsync(Url(node, "v2/before/app/manifests/v1"), Token)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "berth to use Redis again", Token);
        await AssertPatchAsync(node, location, content, 0, HttpStatusCode.Accepted);
        await AssertCompletesAsync(node, "outage/redis", location, content);
        var catalog = await Http.GetStringAsync(Url(node, "v2/_catalog"), Token);
        Assert.Contains("\"before/app\"", catalog, StringComparison.Ordinal);
    }

    private static Task<string> StartUploadAsync(BerthProcess node, string repository) => ChunkedUpload.StartAsync(Http, node, repository);

    private static async Task AssertPatchAsync(BerthProcess node, string location, byte[] chunk, long offset, HttpStatusCode expected)
    {
        var patch = await ChunkedUpload.PatchAsync(Http, node, location, chunk, 0, chunk.Length, offset);
        if (expected == HttpStatusCode.ServiceUnavailable)
        {
            await AssertUnavailableAsync(patch);
            return;
        }

        using (patch)
        {
            Assert.True(patch.StatusCode == expected, $"PATCH: {(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync(Token)}");
        }
    }

    private static async Task AssertOffsetAsync(BerthProcess node, string location, long size)
    {
        using var status = await Http.GetAsync(Url(node, location), Token);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal($"0-{size - 1}", status.Headers.GetValues("Range").Single());
    }

    private static async Task AssertCompletesAsync(BerthProcess node, string repository, string location, byte[] content)
    {
        var digest = OciImageLayout.DigestOf(content);
        using var put = await Http.PutAsync(ChunkedUpload.CompleteUrl(node, location, digest), null, Token);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"PUT: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(Token)}");
        var blob = await Http.GetByteArrayAsync(Url(node, $"v2/{repository}/blobs/{digest}"), Token);
        Assert.Equal(digest, OciImageLayout.DigestOf(blob));
    }

    /// <summary>503 with the OCI error body naming UNAVAILABLE: what a client can act on, and not a 500.</summary>
    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(Token);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
            using var document = JsonDocument.Parse(body);
            Assert.Equal("UNAVAILABLE", document.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
        }
    }

    private static Uri Url(BerthProcess node, string pathAndQuery) => ChunkedUpload.Url(node, pathAndQuery);

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
