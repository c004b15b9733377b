using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Berth.Tests.Proxy;

/// <summary>
/// Pushes an artifact that refers to an image (an SBOM-like manifest with a <c>subject</c>) into a docker-registry
/// playing an upstream, and the <c>sha256-&lt;hex&gt;</c> index that lists it, as clients do where there is no
/// referrers API.
/// </summary>
internal static class UpstreamReferrer
{
    public const string ArtifactType = "application/vnd.example.sbom.v1+json";
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <returns>The referrer's digest.</returns>
    public static async Task<string> PushAsync(Uri registry, string repository, string subject, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = registry };
        var empty = "{}"u8.ToArray();
        var emptyDigest = Digest(empty);
        using (var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", content: null, ct))
        {
            var location = start.Headers.Location!.ToString();
            using var put = await http.PutAsync($"{location}{(location.Contains('?', StringComparison.Ordinal) ? '&' : '?')}digest={emptyDigest}", new ByteArrayContent(empty), ct);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var subjectSize = (await GetAsync(http, $"v2/{repository}/manifests/{subject}", OciManifest, ct)).Length;
        var subjectDescriptor = $$"""{"mediaType":"{{OciManifest}}","digest":"{{subject}}","size":{{subjectSize}}}""";
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}","artifactType":"{{ArtifactType}}",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{emptyDigest}}","size":2},
             "layers":[{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{emptyDigest}}","size":2}],
             "subject":
            """ + subjectDescriptor + "}");
        var digest = Digest(manifest);
        await PutAsync(http, $"v2/{repository}/manifests/{digest}", manifest, OciManifest, ct);
        var entry = $$"""{"mediaType":"{{OciManifest}}","digest":"{{digest}}","size":{{manifest.Length}},"artifactType":"{{ArtifactType}}"}""";
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[""" + entry + "]}");
        await PutAsync(http, $"v2/{repository}/manifests/sha256-{subject["sha256:".Length..]}", index, OciIndex, ct);
        return digest;
    }

    private static async Task<byte[]> GetAsync(HttpClient http, string path, string accept, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    private static async Task PutAsync(HttpClient http, string path, byte[] body, string mediaType, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await http.PutAsync(path, content, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
