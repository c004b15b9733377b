using System.Net;
using System.Text.Json;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;: an image index of the manifests whose subject is the digest.</summary>
public sealed class ReferrerTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private const string Sbom = "application/vnd.example.sbom";
    private const string Signature = "application/vnd.example.signature";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpResponseMessage Response, JsonElement Index)> GetAsync(string path)
    {
        var response = await fixture.Http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestManifests.OciIndex, response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var index = json.RootElement.Clone();
        Assert.Equal(2, index.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(TestManifests.OciIndex, index.GetProperty("mediaType").GetString());
        return (response, index);
    }

    /// <summary>A subject image with an SBOM (annotated) and a signature referring to it.</summary>
    private async Task<(string Repository, Content Subject, Content Sbom, Content Signature)> SeedAsync()
    {
        var repository = Digests.NewRepository("referrers");
        var subject = await fixture.Registry.PushRandomImageAsync(repository, "v1");
        var sbomBlob = TestManifests.Layer(Sbom);
        var signatureBlob = TestManifests.Layer(Signature);
        var sbom = TestManifests.Artifact(Sbom, sbomBlob, subject, new Dictionary<string, string> { ["org.example.kind"] = "spdx" });
        var signature = TestManifests.Artifact(Signature, signatureBlob, subject);
        await fixture.Registry.PushImageAsync(repository, sbom.Digest, sbom, TestManifests.EmptyConfig, sbomBlob);
        await fixture.Registry.PushImageAsync(repository, signature.Digest, signature, signatureBlob);
        return (repository, subject, sbom, signature);
    }

    [Fact]
    public async Task Get_DigestWithoutReferrers_EmptyIndex()
    {
        var repository = Digests.NewRepository("referrers");

        var (response, index) = await GetAsync($"v2/{repository}/referrers/{Digests.Absent()}");

        using (response)
        {
            Assert.Equal(0, index.GetProperty("manifests").GetArrayLength());
            Assert.Null(ResponseAssert.Header(response, "OCI-Filters-Applied"));
        }
    }

    [Fact]
    public async Task Get_SubjectWithReferrers_DescriptorsWithArtifactTypeAndAnnotations()
    {
        var (repository, subject, sbom, signature) = await SeedAsync();

        var (response, index) = await GetAsync($"v2/{repository}/referrers/{subject.Digest}");

        using (response)
        {
            var entries = index.GetProperty("manifests").EnumerateArray().ToDictionary(entry => entry.GetProperty("digest").GetString()!);
            Assert.Equal(new[] { sbom.Digest, signature.Digest }.Order(), entries.Keys.Order());
            var entry = entries[sbom.Digest];
            Assert.Equal(TestManifests.OciManifest, entry.GetProperty("mediaType").GetString());
            Assert.Equal(sbom.Size, entry.GetProperty("size").GetInt64());
            Assert.Equal(Sbom, entry.GetProperty("artifactType").GetString());
            Assert.Equal("spdx", entry.GetProperty("annotations").GetProperty("org.example.kind").GetString());
            Assert.Equal(Signature, entries[signature.Digest].GetProperty("artifactType").GetString());
        }
    }

    [Theory]
    [InlineData(Sbom, 1)]
    [InlineData("application/vnd.example.none", 0)]
    public async Task Get_FilteredByArtifactType_OnlyMatchesAndFiltersAppliedHeader(string artifactType, int expected)
    {
        var (repository, subject, _, _) = await SeedAsync();

        var (response, index) = await GetAsync($"v2/{repository}/referrers/{subject.Digest}?artifactType={Uri.EscapeDataString(artifactType)}");

        using (response)
        {
            Assert.Equal("artifactType", ResponseAssert.Header(response, "OCI-Filters-Applied"));
            var entries = index.GetProperty("manifests").EnumerateArray().ToList();
            Assert.Equal(expected, entries.Count);
            Assert.All(entries, entry => Assert.Equal(artifactType, entry.GetProperty("artifactType").GetString()));
        }
    }

    [Fact]
    public async Task Get_ReferrerWithoutArtifactType_UsesConfigMediaType()
    {
        var repository = Digests.NewRepository("referrers");
        var subject = await fixture.Registry.PushRandomImageAsync(repository, "v1");
        var config = new Content("application/vnd.example.config", "{}"u8.ToArray());
        var referrer = TestManifests.Image(config, [], subject: subject);
        await fixture.Registry.PushImageAsync(repository, referrer.Digest, referrer, config);

        var (response, index) = await GetAsync($"v2/{repository}/referrers/{subject.Digest}");

        using (response)
        {
            Assert.Equal("application/vnd.example.config", index.GetProperty("manifests")[0].GetProperty("artifactType").GetString());
        }
    }

    [Fact]
    public async Task Get_AfterReferrerDeleted_NotListed()
    {
        var (repository, subject, sbom, signature) = await SeedAsync();
        using var deleted = await fixture.Http.DeleteAsync($"v2/{repository}/manifests/{sbom.Digest}", Ct);

        var (response, index) = await GetAsync($"v2/{repository}/referrers/{subject.Digest}");

        using (response)
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            Assert.Equal([signature.Digest], index.GetProperty("manifests").EnumerateArray().Select(e => e.GetProperty("digest").GetString()));
        }
    }

    [Fact]
    public async Task Get_SubjectFromOtherRepository_EmptyIndex()
    {
        var (_, subject, _, _) = await SeedAsync();

        var (response, index) = await GetAsync($"v2/{Digests.NewRepository("referrers")}/referrers/{subject.Digest}");

        using (response)
        {
            Assert.Equal(0, index.GetProperty("manifests").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("latest")]
    public async Task Get_InvalidDigest_BadRequestDigestInvalid(string digest)
    {
        using var response = await fixture.Http.GetAsync($"v2/{Digests.NewRepository("referrers")}/referrers/{digest}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
