using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>The few registry steps tests use to set the scene; the requests under test are written out in each test.</summary>
public sealed class RegistryClient(HttpClient http)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal async Task PushBlobAsync(string repository, Content blob)
    {
        using var response = await http.PostAsync($"v2/{repository}/blobs/uploads/?digest={blob.Digest}", new ByteArrayContent(blob.Bytes), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    internal async Task<Content> PushBlobAsync(string repository, byte[] bytes)
    {
        var blob = new Content("application/octet-stream", bytes);
        await PushBlobAsync(repository, blob);
        return blob;
    }

    internal Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, Content manifest) =>
        http.PutAsync($"v2/{repository}/manifests/{reference}", ManifestBody(manifest), Ct);

    /// <summary>Pushes the blobs a manifest names, then the manifest itself, and insists on 201.</summary>
    internal async Task PushImageAsync(string repository, string reference, Content manifest, params Content[] blobs)
    {
        foreach (var blob in blobs)
        {
            await PushBlobAsync(repository, blob);
        }

        using var response = await PutManifestAsync(repository, reference, manifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>
    /// Pushes a fresh one-layer OCI image as docker does beside an online collection with grace 0: a manifest refused
    /// with MANIFEST_BLOB_UNKNOWN (its blobs were collected before it came, which the protocol allows) is pushed again
    /// with its blobs. Insists on 201 within a few tries.
    /// </summary>
    internal async Task<Content> PushRandomImageBesideCollectionAsync(string repository, string reference)
    {
        var config = TestManifests.Config();
        var layer = TestManifests.Layer();
        var manifest = TestManifests.Image(config, [layer]);
        for (var attempt = 1; ; attempt++)
        {
            await PushBlobAsync(repository, config);
            await PushBlobAsync(repository, layer);
            using var response = await PutManifestAsync(repository, reference, manifest);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return manifest;
            }

            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(attempt < 5 && body.Contains("MANIFEST_BLOB_UNKNOWN", StringComparison.Ordinal),
                $"push of {repository}:{reference}, try {attempt}: {(int)response.StatusCode} {body}");
        }
    }

    /// <summary>Pushes a fresh one-layer OCI image under <paramref name="reference"/>.</summary>
    internal async Task<Content> PushRandomImageAsync(string repository, string reference)
    {
        var config = TestManifests.Config();
        var layer = TestManifests.Layer();
        var manifest = TestManifests.Image(config, [layer]);
        await PushImageAsync(repository, reference, manifest, config, layer);
        return manifest;
    }

    /// <summary>Starts an upload session.</summary>
    /// <returns>The session's Location.</returns>
    internal async Task<Uri> StartUploadAsync(string repository)
    {
        using var response = await http.PostAsync($"v2/{repository}/blobs/uploads/", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location ?? throw new InvalidOperationException("no Location");
    }

    internal static ByteArrayContent ManifestBody(Content manifest)
    {
        var body = new ByteArrayContent(manifest.Bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        return body;
    }

    /// <summary>The tags of <paramref name="repository"/> as the registry lists them.</summary>
    internal async Task<string[]> TagsAsync(string repository, string query = "")
    {
        using var response = await http.GetAsync($"v2/{repository}/tags/list{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()!)];
    }
}
