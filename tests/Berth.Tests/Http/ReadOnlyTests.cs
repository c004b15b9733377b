using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// <c>storage.maintenance.readonly.enabled</c> in a real berth, on storage an earlier writable start filled: reads are
/// served, each kind of write answers 405 UNSUPPORTED with the OCI envelope, and storage is left exactly as it was
/// (deletion is on, so a refused DELETE is the read-only mode's doing).
/// </summary>
public sealed class ReadOnlyTests(ReadOnlyFixture fixture) : IClassFixture<ReadOnlyFixture>
{
    private const string Repo = ReadOnlyFixture.Repository;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>method and target; placeholders: {upload}, {manifest}, {layer} (the seeded session and digests).</summary>
    public static TheoryData<string, string> Writes => new()
    {
        { "POST", $"v2/{Repo}/blobs/uploads/" },
        { "POST", $"v2/{Repo}/blobs/uploads/?digest=sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" },
        { "POST", $"v2/other/blobs/uploads/?mount={{layer}}&from={Repo}" },
        { "PATCH", $"v2/{Repo}/blobs/uploads/{{upload}}" },
        { "PUT", $"v2/{Repo}/blobs/uploads/{{upload}}?digest=sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" },
        { "DELETE", $"v2/{Repo}/blobs/uploads/{{upload}}" },
        { "PUT", $"v2/{Repo}/manifests/v2" },
        { "DELETE", $"v2/{Repo}/manifests/v1" },
        { "DELETE", $"v2/{Repo}/manifests/{{manifest}}" },
        { "DELETE", $"v2/{Repo}/blobs/{{layer}}" },
        { "DELETE", $"v2/{Repo}/" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_ReadOnly_Answers405UnsupportedAndWritesNothing(string method, string target)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Resolve(target))
        {
            Content = new ByteArrayContent("foo"u8.ToArray()),
        };

        using var response = await fixture.Http.SendAsync(request, Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {target}: {(int)response.StatusCode} {body}");
        ResponseAssert.AssertEnvelope(body, "UNSUPPORTED");
        using var json = JsonDocument.Parse(body);
        Assert.Contains("read-only mode", json.RootElement.GetProperty("errors")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        fixture.AssertNothingWritten();
    }

    [Fact]
    public async Task Pull_ReadOnly_ServesWhatWasPushed()
    {
        using var manifest = await fixture.Http.GetAsync($"v2/{Repo}/manifests/v1", Ct);
        using var layer = await fixture.Http.GetAsync($"v2/{Repo}/blobs/{fixture.LayerDigest}", Ct);
        using var tags = JsonDocument.Parse(await fixture.Http.GetStringAsync($"v2/{Repo}/tags/list", Ct));
        var catalog = await fixture.Http.GetStringAsync("v2/_catalog", Ct);
        using var upload = await fixture.Http.GetAsync($"v2/{Repo}/blobs/uploads/{fixture.UploadId}", Ct);

        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(fixture.ManifestDigest, ResponseAssert.Header(manifest, "Docker-Content-Digest"));
        Assert.Equal(HttpStatusCode.OK, layer.StatusCode);
        Assert.Equal(fixture.LayerDigest, Digests.Sha256(await layer.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(["v1"], tags.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains($"\"{Repo}\"", catalog, StringComparison.Ordinal);
        // As in registry, an upload's status is a read: it stays served.
        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        fixture.AssertNothingWritten();
    }

    [Fact]
    public void Serve_ReadOnly_SaysSoAndDoesNotSchedulePurging()
    {
        var output = fixture.Berth.Output;

        Assert.Contains("read-only mode (storage.maintenance.readonly)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("upload purging:", output, StringComparison.Ordinal);
        // The seeded session is older than the configured 1ms age: any purge would have taken it.
        fixture.AssertNothingWritten();
    }

    private string Resolve(string target) => new StringBuilder(target)
        .Replace("{upload}", fixture.UploadId)
        .Replace("{manifest}", fixture.ManifestDigest)
        .Replace("{layer}", fixture.LayerDigest)
        .ToString();
}
