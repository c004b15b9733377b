using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Berth.EndToEnd.Tests;

/// <summary>The few direct HTTP reads the client tools do not offer (catalog, a manifest's status).</summary>
internal static class RegistryHttp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The repositories of GET <c>/v2/_catalog</c>.</summary>
    public static async Task<IReadOnlyList<string>> CatalogAsync(RegistryServer server)
    {
        using var response = await Http.GetAsync(new Uri(server.BaseUri, "v2/_catalog"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET /v2/_catalog on {server.Name}: {(int)response.StatusCode}\n{body}");
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("repositories").EnumerateArray().Select(element => element.GetString()!)];
    }

    /// <summary>The status of GET <c>/v2/NAME/manifests/REFERENCE</c>, accepting every manifest type.</summary>
    public static Task<HttpStatusCode> ManifestStatusAsync(RegistryServer server, string repository, string reference) =>
        ManifestStatusAsync(server.BaseUri, repository, reference);

    /// <summary>The same on any server at <paramref name="baseUri"/>, with credentials when given.</summary>
    public static async Task<HttpStatusCode> ManifestStatusAsync(Uri baseUri, string repository, string reference,
        AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v2/{repository}/manifests/{reference}"));
        request.Headers.Authorization = authorization;
        foreach (var mediaType in AcceptedManifestTypes)
        {
            request.Headers.Accept.ParseAdd(mediaType);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static readonly string[] AcceptedManifestTypes =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];
}
