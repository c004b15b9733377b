using System.Net;
using System.Net.Http.Headers;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Gc;

/// <summary>The check every collection test ends with: an image pulls whole, each digest verified.</summary>
internal static class WholeImage
{
    /// <summary>GETs the manifest by <paramref name="reference"/> (tag or digest) and every blob, and checks each digest.</summary>
    public static async Task AssertPullsAsync(HttpClient http, string repository, string reference, Content manifest, Content[] blobs,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(manifest.MediaType));
        using var response = await http.SendAsync(request, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{repository}:{reference}: {(int)response.StatusCode}");
        Assert.Equal(manifest.Digest, Digests.Sha256(await response.Content.ReadAsByteArrayAsync(cancellationToken)));
        foreach (var blob in blobs)
        {
            using var blobResponse = await http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", cancellationToken);
            Assert.True(blobResponse.StatusCode == HttpStatusCode.OK, $"{repository}:{reference} blob {blob.Digest}: {(int)blobResponse.StatusCode}");
            Assert.Equal(blob.Digest, Digests.Sha256(await blobResponse.Content.ReadAsByteArrayAsync(cancellationToken)));
        }
    }
}
