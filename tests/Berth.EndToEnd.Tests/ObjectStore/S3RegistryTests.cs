using System.Net;
using System.Net.Http.Headers;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.ObjectStore;

/// <summary>
/// berth serve on a real S3 server (Ceph RGW), driven by skopeo; and the same bucket shared with the reference
/// registry (docker-registry's s3-aws driver), each serving what the other pushed.
/// </summary>
public sealed class S3RegistryTests(RgwFixture rgw) : IClassFixture<RgwFixture>
{
    /// <summary>Above S3's 5 MiB part minimum, so uploads and moves take the multipart paths.</summary>
    private const int LayerSize = 6 * 1024 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Push_SkopeoToBerthOnS3_PullsBackAndBlobGetRedirectsToTheStore()
    {
        using var work = new TempDirectory("berth-s3-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1", 300_000, LayerSize);
        await using var berth = await rgw.StartBerthAsync($"/push-{Guid.NewGuid():N}");

        await Skopeo.CopyAsync(image.Reference, berth.Docker("e2e/app:v1"), cancellationToken: Token);

        await InteropTests.AssertServesAsync(berth, "e2e/app:v1", image, work.Combine("pulled"));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var layer = image.LayerDigests[^1];
        using var response = await http.GetAsync(new Uri(berth.BaseUri, $"v2/e2e/app/blobs/{layer}"), Token);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(rgw.Rgw.Endpoint.Authority, location.Authority);
        Assert.Equal(layer, OciImageLayout.DigestOf(await http.GetByteArrayAsync(location, Token)));
    }

    [Fact]
    public async Task BlobGet_RedirectDisabled_StreamsThroughBerthWithRange()
    {
        using var work = new TempDirectory("berth-s3-e2e");
        var image = OciImageLayout.Create(work.Combine("image"), "v1", LayerSize);
        await using var berth = await rgw.StartBerthAsync($"/stream-{Guid.NewGuid():N}", redirectDisabled: true);
        await Skopeo.CopyAsync(image.Reference, berth.Docker("e2e/stream:v1"), cancellationToken: Token);
        var layer = image.LayerDigests[0];
        var content = image.ReadBlob(layer);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var blobUri = new Uri(berth.BaseUri, $"v2/e2e/stream/blobs/{layer}");

        using var whole = await http.GetAsync(blobUri, Token);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, blobUri) { Headers = { Range = new RangeHeaderValue(1000, 5_000_999) } };
        using var part = await http.SendAsync(ranged, Token);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(content[1000..5_001_000], await part.Content.ReadAsByteArrayAsync(Token));
    }

    [Theory]
    [InlineData("berth", "docker-registry")]
    [InlineData("docker-registry", "berth")]
    public async Task Interop_OnePushes_TheOtherOnSameBucketServesIt(string pusher, string server)
    {
        using var work = new TempDirectory("berth-s3-e2e");
        var root = $"/interop-{Guid.NewGuid():N}";
        var image = OciImageLayout.Create(work.Combine("image"), "v1", 200_000, LayerSize);
        await using (var registry = await StartAsync(pusher, root))
        {
            await Skopeo.CopyAsync(image.Reference, registry.Docker("interop/app:v1"), cancellationToken: Token);
        }

        await using var other = await StartAsync(server, root);

        await InteropTests.AssertServesAsync(other, "interop/app:v1", image, work.Combine("served"));
    }

    private Task<RegistryServer> StartAsync(string kind, string rootDirectory) =>
        kind == "berth" ? rgw.StartBerthAsync(rootDirectory) : rgw.StartDistributionAsync(rootDirectory);
}
