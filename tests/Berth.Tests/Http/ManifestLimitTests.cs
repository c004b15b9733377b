using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>The 4 MiB manifest limit: just under is stored, over is 413 whether the length is declared or not.</summary>
public sealed class ManifestLimitTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private const int Limit = 4 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An OCI index (no blobs needed) padded by an annotation to <paramref name="size"/> bytes.</summary>
    private static Content IndexOfSize(int size)
    {
        var empty = TestManifests.Index([], annotations: new Dictionary<string, string> { ["pad"] = "" });
        return TestManifests.Index([], annotations: new Dictionary<string, string> { ["pad"] = new string('x', size - empty.Bytes.Length) });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Put_OverLimit_PayloadTooLargeAndNothingStored(bool chunked)
    {
        var repository = Digests.NewRepository("limits");
        var manifest = IndexOfSize(Limit + 1);
        Assert.Equal(Limit + 1, manifest.Bytes.Length);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/big")
        {
            Content = chunked ? new StreamContent(new MemoryStream(manifest.Bytes)) : new ByteArrayContent(manifest.Bytes),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(TestManifests.OciIndex);
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await fixture.Http.SendAsync(request, Ct);
        using var byTag = await fixture.Http.GetAsync($"v2/{repository}/manifests/big", Ct);
        using var byDigest = await fixture.Http.GetAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byDigest.StatusCode);
        Assert.DoesNotContain(Directory.GetFiles(fixture.Root, "*", SearchOption.AllDirectories), file => new FileInfo(file).Length > Limit);
    }

    [Fact]
    public async Task Put_LargeValidManifestUnderLimit_CreatedAndServedExactly()
    {
        var repository = Digests.NewRepository("limits");
        var manifest = IndexOfSize(Limit - 100 * 1024);

        using var response = await fixture.Registry.PutManifestAsync(repository, "big", manifest);
        using var get = await fixture.Http.GetAsync($"v2/{repository}/manifests/big", Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(manifest.Digest, ResponseAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(manifest.Bytes, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Put_ExactlyAtLimit_Created()
    {
        var manifest = IndexOfSize(Limit);

        using var response = await fixture.Registry.PutManifestAsync(Digests.NewRepository("limits"), "edge", manifest);

        Assert.Equal(Limit, manifest.Bytes.Length);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Put_DeeplyNestedJson_BadRequestManifestInvalid()
    {
        var body = Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000));

        using var response = await fixture.Registry.PutManifestAsync(Digests.NewRepository("limits"), "deep", new Content(TestManifests.OciIndex, body));

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }
}
