using System.Net;
using System.Net.Http.Headers;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>Manifest PUT, GET and HEAD for every accepted kind, and the refusals.</summary>
public sealed class ManifestTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Http;

    private RegistryClient Registry => fixture.Registry;

    [Fact]
    public async Task Put_OciImageByTag_CreatedWithLocationAndDigest()
    {
        var repository = Digests.NewRepository("manifests");
        var config = TestManifests.Config();
        var layer = TestManifests.Layer();
        await Registry.PushBlobAsync(repository, config);
        await Registry.PushBlobAsync(repository, layer);
        var manifest = TestManifests.Image(config, [layer]);

        using var response = await Registry.PutManifestAsync(repository, "latest", manifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(manifest.Digest, ResponseAssert.Header(response, "Docker-Content-Digest"));
        Assert.EndsWith($"/v2/{repository}/manifests/{manifest.Digest}", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Null(ResponseAssert.Header(response, "OCI-Subject"));
    }

    public static TheoryData<string> Kinds => ["oci-image", "oci-index", "docker-image", "docker-list"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Get_ByTagAndDigest_ExactBytesAndContentType(string kind)
    {
        var repository = Digests.NewRepository("manifests");
        var manifest = await PushKindAsync(repository, kind);

        foreach (var reference in new[] { "v1", manifest.Digest })
        {
            using var response = await Http.GetAsync($"v2/{repository}/manifests/{reference}", Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(manifest.Bytes, await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(manifest.MediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(manifest.Digest, ResponseAssert.Header(response, "Docker-Content-Digest"));
            Assert.Equal($"\"{manifest.Digest}\"", response.Headers.ETag?.Tag);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Head_ByTagAndDigest_HeadersWithoutBody(string kind)
    {
        var repository = Digests.NewRepository("manifests");
        var manifest = await PushKindAsync(repository, kind);

        foreach (var reference in new[] { "v1", manifest.Digest })
        {
            using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{reference}"), Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(manifest.Bytes.Length, response.Content.Headers.ContentLength);
            Assert.Equal(manifest.MediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(manifest.Digest, ResponseAssert.Header(response, "Docker-Content-Digest"));
        }
    }

    [Fact]
    public async Task Get_IfNoneMatchWithDigest_NotModified()
    {
        var repository = Digests.NewRepository("manifests");
        var manifest = await Registry.PushRandomImageAsync(repository, "v1");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/v1");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{manifest.Digest}\""));

        using var response = await Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Put_ArtifactWithAbsentSubject_CreatedWithOciSubject()
    {
        var repository = Digests.NewRepository("manifests");
        var subject = TestManifests.Image(TestManifests.Config(), [TestManifests.Layer()]);
        var blob = TestManifests.Layer("application/vnd.example.sbom");
        await Registry.PushBlobAsync(repository, TestManifests.EmptyConfig);
        await Registry.PushBlobAsync(repository, blob);
        var artifact = TestManifests.Artifact("application/vnd.example.sbom", blob, subject);

        using var response = await Registry.PutManifestAsync(repository, artifact.Digest, artifact);
        using var get = await Http.GetAsync($"v2/{repository}/manifests/{artifact.Digest}", Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subject.Digest, ResponseAssert.Header(response, "OCI-Subject"));
        Assert.Equal(artifact.Bytes, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Put_ImageWithMissingLayer_BadRequestManifestBlobUnknown()
    {
        var repository = Digests.NewRepository("manifests");
        var config = TestManifests.Config();
        await Registry.PushBlobAsync(repository, config);
        var manifest = TestManifests.Image(config, [TestManifests.Layer()]);

        using var response = await Registry.PutManifestAsync(repository, "v1", manifest);
        using var get = await Http.GetAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_ImageWithMissingConfig_BadRequestManifestBlobUnknown()
    {
        var repository = Digests.NewRepository("manifests");
        var layer = TestManifests.Layer(TestManifests.DockerLayer);
        await Registry.PushBlobAsync(repository, layer);
        var manifest = TestManifests.Image(TestManifests.Config(TestManifests.DockerConfig), [layer], TestManifests.DockerManifest);

        using var response = await Registry.PutManifestAsync(repository, "v1", manifest);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData(TestManifests.OciIndex)]
    [InlineData(TestManifests.DockerList)]
    public async Task Put_IndexWithMissingChild_BadRequestManifestBlobUnknown(string mediaType)
    {
        var repository = Digests.NewRepository("manifests");
        var present = await Registry.PushRandomImageAsync(repository, "present");
        var absent = TestManifests.Image(TestManifests.Config(), [TestManifests.Layer()]);
        var index = TestManifests.Index([present, absent], mediaType);

        using var response = await Registry.PutManifestAsync(repository, "v1", index);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Put_Schema1_BadRequestManifestInvalid()
    {
        using var response = await Registry.PutManifestAsync(Digests.NewRepository("manifests"), "v1", TestManifests.Schema1());

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("{\"schemaVersion\":2}")]
    [InlineData("{\"schemaVersion\":3,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{},\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:zz\",\"size\":1},\"layers\":[]}")]
    public async Task Put_InvalidDocument_BadRequestManifestInvalid(string body)
    {
        var repository = Digests.NewRepository("manifests");

        using var response = await Registry.PutManifestAsync(repository, "v1", new Content(TestManifests.OciManifest, System.Text.Encoding.UTF8.GetBytes(body)));
        using var get = await Http.GetAsync($"v2/{repository}/manifests/v1", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_ByDigestThatDoesNotMatch_BadRequestDigestInvalid()
    {
        var repository = Digests.NewRepository("manifests");
        var manifest = TestManifests.Index([]);

        using var response = await Registry.PutManifestAsync(repository, Digests.Absent(), manifest);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Put_ByDigestWithTagQuery_TagsBothWithOciTagHeaders()
    {
        var repository = Digests.NewRepository("manifests");
        var manifest = TestManifests.Index([]);

        using var response = await Http.PutAsync($"v2/{repository}/manifests/{manifest.Digest}?tag=a&tag=b",
            RegistryClient.ManifestBody(manifest), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["a", "b"], response.Headers.GetValues("OCI-Tag").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Order());
        Assert.Equal(["a", "b"], await Registry.TagsAsync(repository));
    }

    [Theory]
    [InlineData("?tag=bad/tag")]
    [InlineData("?tag=.hidden")]
    [InlineData("?tag=ok&tag=")]
    public async Task Put_InvalidTagQuery_BadRequestTagInvalid(string query)
    {
        var repository = Digests.NewRepository("manifests");
        var manifest = TestManifests.Index([]);

        using var response = await Http.PutAsync($"v2/{repository}/manifests/{manifest.Digest}{query}", RegistryClient.ManifestBody(manifest), Ct);
        using var get = await Http.GetAsync($"v2/{repository}/manifests/{manifest.Digest}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData(".bad")]
    [InlineData("-bad")]
    [InlineData("bad%21")]
    public async Task Put_InvalidTagInPath_BadRequestTagInvalid(string tag)
    {
        using var response = await Registry.PutManifestAsync(Digests.NewRepository("manifests"), tag, TestManifests.Index([]));

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Theory]
    [InlineData("GET", "nope")]
    [InlineData("HEAD", "nope")]
    [InlineData("GET", "digest")]
    [InlineData("DELETE", "nope")]
    public async Task Send_UnknownManifest_NotFoundManifestUnknown(string method, string reference)
    {
        var repository = Digests.NewRepository("manifests");
        await Registry.PushRandomImageAsync(repository, "v1");
        var path = $"v2/{repository}/manifests/{(reference == "digest" ? Digests.Absent() : reference)}";

        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    /// <summary>Pushes one manifest of <paramref name="kind"/>, with what it needs, tagged v1.</summary>
    private async Task<Content> PushKindAsync(string repository, string kind)
    {
        switch (kind)
        {
            case "oci-image":
                return await Registry.PushRandomImageAsync(repository, "v1");
            case "docker-image":
                var config = TestManifests.Config(TestManifests.DockerConfig);
                var layer = TestManifests.Layer(TestManifests.DockerLayer);
                var image = TestManifests.Image(config, [layer], TestManifests.DockerManifest);
                await Registry.PushImageAsync(repository, "v1", image, config, layer);
                return image;
            default:
                var child = await Registry.PushRandomImageAsync(repository, "child");
                var index = TestManifests.Index([child], kind == "oci-index" ? TestManifests.OciIndex : TestManifests.DockerList);
                await Registry.PushImageAsync(repository, "v1", index);
                return index;
        }
    }
}
