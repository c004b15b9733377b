using System.Net;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>PATCH with Content-Range: chunks must arrive in order, each exactly as long as it says.</summary>
public sealed class ChunkedUploadTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Http;

    private Task<HttpResponseMessage> PatchAsync(Uri location, byte[] chunk, string? contentRange, long? contentLength = null)
    {
        var body = new ByteArrayContent(chunk);
        if (contentRange is not null)
        {
            body.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        body.Headers.ContentLength = contentLength ?? chunk.Length;
        return Http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, location) { Content = body }, Ct);
    }

    [Fact]
    public async Task Patch_ChunksInOrder_RangeGrowsAndPutCompletes()
    {
        var repository = Digests.NewRepository("chunks");
        var blob = new Content("application/octet-stream", Digests.RandomBytes(30));
        var location = await fixture.Registry.StartUploadAsync(repository);

        using var first = await PatchAsync(location, blob.Bytes[..10], "0-9");
        using var second = await PatchAsync(first.Headers.Location!, blob.Bytes[10..25], "10-24");
        using var put = await Http.PutAsync(UploadTests.WithDigest(second.Headers.Location!, blob.Digest), null, Ct);
        using var get = await Http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-9", ResponseAssert.Header(first, "Range"));
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("0-24", ResponseAssert.Header(second, "Range"));
        // The last five bytes were never sent: the digest cannot match.
        await ResponseAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_WithLastChunk_Created()
    {
        var repository = Digests.NewRepository("chunks");
        var blob = new Content("application/octet-stream", Digests.RandomBytes(30));
        var location = await fixture.Registry.StartUploadAsync(repository);
        using var first = await PatchAsync(location, blob.Bytes[..20], "0-19");
        var last = new ByteArrayContent(blob.Bytes[20..]);
        last.Headers.TryAddWithoutValidation("Content-Range", "20-29");

        using var put = await Http.PutAsync(UploadTests.WithDigest(first.Headers.Location!, blob.Digest), last, Ct);
        using var get = await Http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(blob.Digest, ResponseAssert.Header(put, "Docker-Content-Digest"));
        Assert.Equal(blob.Bytes, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("5-14")]
    [InlineData("0-9")]
    [InlineData("11-20")]
    public async Task Patch_OutOfOrderOrRepeatedChunk_RangeNotSatisfiableAndSizeKept(string secondRange)
    {
        var location = await fixture.Registry.StartUploadAsync(Digests.NewRepository("chunks"));
        using var first = await PatchAsync(location, Digests.RandomBytes(10), "0-9");

        using var second = await PatchAsync(location, Digests.RandomBytes(10), secondRange);
        using var status = await Http.GetAsync(location, Ct);

        await ResponseAssert.ErrorAsync(second, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("0-9", ResponseAssert.Header(status, "Range"));
    }

    [Fact]
    public async Task Patch_FirstChunkNotAtZero_RangeNotSatisfiable()
    {
        var location = await fixture.Registry.StartUploadAsync(Digests.NewRepository("chunks"));

        using var response = await PatchAsync(location, Digests.RandomBytes(10), "1-10");
        using var status = await Http.GetAsync(location, Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("0-0", ResponseAssert.Header(status, "Range"));
    }

    [Theory]
    [InlineData("0-19")] // longer than the body
    [InlineData("0-4")] // shorter than the body
    [InlineData("abc")]
    [InlineData("9-0")]
    [InlineData("-5")]
    [InlineData("0-")]
    [InlineData("0-99999999999999999999")]
    public async Task Patch_ContentRangeMalformedOrNotTheBodyLength_RangeNotSatisfiableAndSizeKept(string contentRange)
    {
        var location = await fixture.Registry.StartUploadAsync(Digests.NewRepository("chunks"));

        using var response = await PatchAsync(location, Digests.RandomBytes(10), contentRange);
        using var status = await Http.GetAsync(location, Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("0-0", ResponseAssert.Header(status, "Range"));
    }
}
