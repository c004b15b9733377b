using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// Writes content through the OCI distribution API (blob upload, manifest PUT), for what no client tool builds:
/// artifacts, referrers and images with chosen configs. Sends Basic credentials when a user is given.
/// </summary>
internal sealed class OciPush : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Uri _baseUri;

    public OciPush(Uri baseUri, string? user = null, string? password = null)
    {
        _baseUri = baseUri;
        if (user is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    /// <summary>Uploads <paramref name="content"/> (POST, then PUT with the digest) and returns its digest.</summary>
    public async Task<string> BlobAsync(string repository, byte[] content)
    {
        var digest = OciImageLayout.DigestOf(content);
        using var start = await _http.PostAsync(new Uri(_baseUri, $"v2/{repository}/blobs/uploads/"), null, Token);
        await EnsureAsync(start, HttpStatusCode.Accepted, "start an upload in " + repository);
        var location = new Uri(_baseUri, start.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var finish = await _http.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), body, Token);
        await EnsureAsync(finish, HttpStatusCode.Created, $"finish the upload of {digest} in {repository}");
        return digest;
    }

    /// <summary>PUTs a manifest by tag or digest and returns its digest.</summary>
    public async Task<string> ManifestAsync(string repository, string reference, string mediaType, byte[] manifest)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.PutAsync(new Uri(_baseUri, $"v2/{repository}/manifests/{reference}"), body, Token);
        await EnsureAsync(response, HttpStatusCode.Created, $"put the manifest {repository}:{reference}");
        return OciImageLayout.DigestOf(manifest);
    }

    /// <summary>Pushes every blob of <paramref name="artifact"/>, then its manifest under <paramref name="reference"/> (its digest when null).</summary>
    public async Task<string> PushAsync(string repository, OciArtifact artifact, string? reference = null)
    {
        foreach (var blob in artifact.Blobs)
        {
            await BlobAsync(repository, blob);
        }

        return await ManifestAsync(repository, reference ?? artifact.Digest, OciArtifact.ManifestMediaType, artifact.Manifest);
    }

    public void Dispose() => _http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(Token);
            throw new InvalidOperationException($"could not {what}: {(int)response.StatusCode} {body}");
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
