using System.Net;
using System.Net.Http.Headers;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>GET, HEAD and DELETE of blobs, with byte ranges and conditional requests.</summary>
public sealed class BlobTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Http;

    /// <summary>A fresh repository holding a ten-byte blob <c>0123456789</c> (plus a nonce to keep digests apart).</summary>
    private async Task<(string Repository, Content Blob)> SeedAsync()
    {
        var repository = Digests.NewRepository("blobs");
        var bytes = "0123456789"u8.ToArray();
        var blob = await fixture.Registry.PushBlobAsync(repository, bytes);
        return (repository, blob);
    }

    [Fact]
    public async Task Get_ExistingBlob_OkWithContentAndHeaders()
    {
        var (repository, blob) = await SeedAsync();

        using var response = await Http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(blob.Bytes, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(blob.Digest, ResponseAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal($"\"{blob.Digest}\"", response.Headers.ETag?.Tag);
        Assert.Equal("bytes", ResponseAssert.Header(response, "Accept-Ranges"));
        Assert.Equal(10, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Head_ExistingBlob_OkWithLengthAndNoBody()
    {
        var (repository, blob) = await SeedAsync();

        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{blob.Digest}"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, response.Content.Headers.ContentLength);
        Assert.Equal(blob.Digest, ResponseAssert.Header(response, "Docker-Content-Digest"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("bytes=0-0", "0", "bytes 0-0/10")]
    [InlineData("bytes=2-", "23456789", "bytes 2-9/10")]
    [InlineData("bytes=-3", "789", "bytes 7-9/10")]
    [InlineData("bytes=5-100", "56789", "bytes 5-9/10")]
    [InlineData("bytes=3-5", "345", "bytes 3-5/10")]
    public async Task Get_WithRange_PartialContent(string range, string expected, string contentRange)
    {
        var (repository, blob) = await SeedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{blob.Digest}");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(contentRange, ResponseAssert.Header(response, "Content-Range"));
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("bytes=10-")]
    [InlineData("bytes=10-20")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=0-1,3-4")]
    [InlineData("items=0-1")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=-")]
    public async Task Get_UnsatisfiableOrMalformedRange_RangeNotSatisfiable(string range)
    {
        var (repository, blob) = await SeedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{blob.Digest}");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await Http.SendAsync(request, Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("bytes */10", ResponseAssert.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_IfNoneMatchWithETag_NotModified()
    {
        var (repository, blob) = await SeedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{blob.Digest}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{blob.Digest}\""));

        using var response = await Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Get_IfNoneMatchWithOtherETag_Ok()
    {
        var (repository, blob) = await SeedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{blob.Digest}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{Digests.Absent()}\""));

        using var response = await Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Get_UnknownBlob_NotFoundBlobUnknown(string method)
    {
        var (repository, _) = await SeedAsync();

        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"v2/{repository}/blobs/{Digests.Absent()}"), Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Get_BlobOfOtherRepository_NotFound()
    {
        var (_, blob) = await SeedAsync();
        var other = Digests.NewRepository("blobs");
        await fixture.Registry.PushBlobAsync(other, Digests.RandomBytes());

        using var response = await Http.GetAsync($"v2/{other}/blobs/{blob.Digest}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_ExistingBlob_AcceptedThenNotFound()
    {
        var (repository, blob) = await SeedAsync();

        using var deleted = await Http.DeleteAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);
        using var after = await Http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);
        using var again = await Http.DeleteAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ResponseAssert.ErrorAsync(after, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await ResponseAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("notadigest")]
    public async Task Get_InvalidDigest_BadRequestDigestInvalid(string digest)
    {
        var (repository, _) = await SeedAsync();

        using var response = await Http.GetAsync($"v2/{repository}/blobs/{digest}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}

/// <summary>A registry without <c>storage.delete.enabled</c> refuses deletes with 405 UNSUPPORTED and keeps the content.</summary>
public sealed class DeletionDisabledTests(DeletionDisabledFixture fixture) : IClassFixture<DeletionDisabledFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeleteBlob_DeletionDisabled_MethodNotAllowedUnsupported()
    {
        var repository = Digests.NewRepository();
        var blob = await fixture.Registry.PushBlobAsync(repository, Digests.RandomBytes());

        using var response = await fixture.Http.DeleteAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);
        using var after = await fixture.Http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteManifest_DeletionDisabled_MethodNotAllowedUnsupported(bool byDigest)
    {
        var repository = Digests.NewRepository();
        var manifest = await fixture.Registry.PushRandomImageAsync(repository, "v1");

        using var response = await fixture.Http.DeleteAsync($"v2/{repository}/manifests/{(byDigest ? manifest.Digest : "v1")}", Ct);
        using var after = await fixture.Http.GetAsync($"v2/{repository}/manifests/v1", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task DeleteRepository_DeletionDisabled_MethodNotAllowedUnsupported()
    {
        var repository = Digests.NewRepository();
        await fixture.Registry.PushRandomImageAsync(repository, "v1");

        using var response = await fixture.Http.DeleteAsync($"v2/{repository}/", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(["v1"], await fixture.Registry.TagsAsync(repository));
    }
}
