using System.Net;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>Upload sessions: start, monolithic, streamed, status, finish, cancel, and unknown ids.</summary>
public sealed class UploadTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Post_Start_AcceptedWithLocationRangeAndUuid()
    {
        var repository = Digests.NewRepository("uploads");

        using var response = await Http.PostAsync($"v2/{repository}/blobs/uploads/", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var uuid = ResponseAssert.Header(response, "Docker-Upload-UUID");
        Assert.True(Guid.TryParse(uuid, out _), uuid);
        Assert.EndsWith($"/v2/{repository}/blobs/uploads/{uuid}", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal("0-0", ResponseAssert.Header(response, "Range"));
    }

    [Fact]
    public async Task Post_StartWithoutTrailingSlash_Accepted()
    {
        using var response = await Http.PostAsync($"v2/{Digests.NewRepository("uploads")}/blobs/uploads", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_MonolithicWithDigest_CreatedAndServed()
    {
        var repository = Digests.NewRepository("uploads");
        var blob = new Content("application/octet-stream", Digests.RandomBytes(100));

        using var response = await Http.PostAsync($"v2/{repository}/blobs/uploads/?digest={blob.Digest}", new ByteArrayContent(blob.Bytes), Ct);

        await ResponseAssert.BlobCreatedAsync(Http, response, repository, blob);
    }

    [Fact]
    public async Task Post_MonolithicWithWrongDigest_BadRequestDigestInvalidAndNotServed()
    {
        var repository = Digests.NewRepository("uploads");
        var claimed = Digests.Absent();

        using var response = await Http.PostAsync($"v2/{repository}/blobs/uploads/?digest={claimed}", new ByteArrayContent(Digests.RandomBytes()), Ct);
        using var get = await Http.GetAsync($"v2/{repository}/blobs/{claimed}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_WholeBodyAfterPost_Created()
    {
        var repository = Digests.NewRepository("uploads");
        var blob = new Content("application/octet-stream", Digests.RandomBytes(1000));
        var location = await fixture.Registry.StartUploadAsync(repository);

        using var response = await Http.PutAsync(WithDigest(location, blob.Digest), new ByteArrayContent(blob.Bytes), Ct);

        await ResponseAssert.BlobCreatedAsync(Http, response, repository, blob);
    }

    [Fact]
    public async Task Patch_StreamedWithoutContentRange_AcceptedThenPutCompletes()
    {
        var repository = Digests.NewRepository("uploads");
        var blob = new Content("application/octet-stream", Digests.RandomBytes(300_000));
        var location = await fixture.Registry.StartUploadAsync(repository);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StreamContent(new MemoryStream(blob.Bytes)) };
        patch.Headers.TransferEncodingChunked = true;

        using var patched = await Http.SendAsync(patch, Ct);
        using var put = await Http.PutAsync(WithDigest(patched.Headers.Location!, blob.Digest), null, Ct);
        using var get = await Http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        Assert.Equal("0-299999", ResponseAssert.Header(patched, "Range"));
        Assert.NotNull(ResponseAssert.Header(patched, "Docker-Upload-UUID"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(blob.Bytes, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Get_UploadStatus_NoContentWithRangeAndLocation()
    {
        var repository = Digests.NewRepository("uploads");
        var location = await fixture.Registry.StartUploadAsync(repository);
        using var patched = await Http.PatchAsync(location, new ByteArrayContent(new byte[7]), Ct);

        using var status = await Http.GetAsync(location, Ct);

        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-6", ResponseAssert.Header(status, "Range"));
        Assert.Equal(location.AbsolutePath, status.Headers.Location?.AbsolutePath);
        Assert.Equal(location.Segments[^1], ResponseAssert.Header(status, "Docker-Upload-UUID"));
    }

    [Fact]
    public async Task Put_WrongDigest_BadRequestAndUploadGone()
    {
        var repository = Digests.NewRepository("uploads");
        var location = await fixture.Registry.StartUploadAsync(repository);
        using var patched = await Http.PatchAsync(location, new ByteArrayContent(Digests.RandomBytes()), Ct);

        using var put = await Http.PutAsync(WithDigest(location, Digests.Absent()), null, Ct);
        using var status = await Http.GetAsync(location, Ct);

        await ResponseAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await ResponseAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?digest=")]
    [InlineData("?digest=sha256:xyz")]
    [InlineData("?digest=sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    public async Task Put_MissingOrInvalidDigest_BadRequestDigestInvalid(string query)
    {
        var location = await fixture.Registry.StartUploadAsync(Digests.NewRepository("uploads"));

        using var put = await Http.PutAsync(new Uri(location + query), null, Ct);

        await ResponseAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Delete_Upload_NoContentThenUnknown()
    {
        var location = await fixture.Registry.StartUploadAsync(Digests.NewRepository("uploads"));

        using var deleted = await Http.DeleteAsync(location, Ct);
        using var status = await Http.GetAsync(location, Ct);
        using var again = await Http.DeleteAsync(location, Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ResponseAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ResponseAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Theory]
    [InlineData("GET", "3f2b8e9c-1a4d-4e5f-8a6b-7c8d9e0f1a2b")]
    [InlineData("PATCH", "3f2b8e9c-1a4d-4e5f-8a6b-7c8d9e0f1a2b")]
    [InlineData("PUT", "3f2b8e9c-1a4d-4e5f-8a6b-7c8d9e0f1a2b")]
    [InlineData("DELETE", "3f2b8e9c-1a4d-4e5f-8a6b-7c8d9e0f1a2b")]
    [InlineData("GET", "random-text")]
    [InlineData("PATCH", "..%2Fx")]
    [InlineData("GET", "3F2B8E9C-1A4D-4E5F-8A6B-7C8D9E0F1A2B")]
    [InlineData("DELETE", "3f2b8e9c1a4d4e5f8a6b7c8d9e0f1a2b")]
    public async Task Send_UnknownOrMalformedUploadId_NotFoundBlobUploadUnknown(string method, string id)
    {
        var repository = Digests.NewRepository("uploads");
        var digest = Digests.Sha256([]);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"v2/{repository}/blobs/uploads/{id}?digest={digest}");

        using var response = await Http.SendAsync(request, Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Get_UppercasedIdOfRealUpload_NotFound()
    {
        var location = await fixture.Registry.StartUploadAsync(Digests.NewRepository("uploads"));
        var upper = new Uri(location.GetLeftPart(UriPartial.Path).Replace(location.Segments[^1], location.Segments[^1].ToUpperInvariant(),
            StringComparison.Ordinal));

        using var response = await Http.GetAsync(upper, Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Send_UploadIdOfOtherRepository_NotFound()
    {
        var location = await fixture.Registry.StartUploadAsync(Digests.NewRepository("uploads"));
        var other = Digests.NewRepository("uploads");
        var id = location.Segments[^1];

        using var status = await Http.GetAsync($"v2/{other}/blobs/uploads/{id}", Ct);
        using var patch = await Http.PatchAsync($"v2/{other}/blobs/uploads/{id}", new ByteArrayContent([1, 2, 3]), Ct);
        using var own = await Http.GetAsync(location, Ct);

        await ResponseAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ResponseAssert.ErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.Equal("0-0", ResponseAssert.Header(own, "Range"));
    }

    internal static Uri WithDigest(Uri location, string digest) =>
        new(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest));
}
