using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Proxy.Tests;

/// <summary>Pushes one small image (a config blob and an OCI manifest naming it) into a registry playing an upstream.</summary>
internal static class UpstreamSeed
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    /// <returns>The manifest's and the config's digests.</returns>
    public static async Task<(string Manifest, string Config)> PushAsync(Uri registry, string repository, string tag,
        AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = registry };
        http.DefaultRequestHeaders.Authorization = authorization;
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","created":"{{Guid.NewGuid()}}"}""");
        var configDigest = Digest(config);
        // registry:2 has no monolithic POST: start a session, then PUT the bytes to it.
        using (var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", content: null, cancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var location = start.Headers.Location!.ToString();
            var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var upload = await http.PutAsync($"{location}{separator}digest={configDigest}", new ByteArrayContent(config), cancellationToken);
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[]}
            """);
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        using var put = await http.PutAsync($"v2/{repository}/manifests/{tag}", body, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return (Digest(manifest), configDigest);
    }

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
