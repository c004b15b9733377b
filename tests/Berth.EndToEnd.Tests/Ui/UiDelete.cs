using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>The page's delete requests sent by hand, with or without what marks them as the page's own.</summary>
internal static class UiDelete
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Task<HttpResponseMessage> TagAsync(Uri baseUri, string name, string tag, bool uiHeader, string? origin = null,
        AuthenticationHeaderValue? authorization = null) =>
        SendAsync(new Uri(baseUri, $"ui/api/tag?name={Uri.EscapeDataString(name)}&tag={Uri.EscapeDataString(tag)}"), uiHeader, origin, authorization);

    public static Task<HttpResponseMessage> ImageAsync(Uri baseUri, string name, string digest, bool uiHeader, string? origin = null,
        AuthenticationHeaderValue? authorization = null) =>
        SendAsync(new Uri(baseUri, $"ui/api/image?name={Uri.EscapeDataString(name)}&digest={Uri.EscapeDataString(digest)}"), uiHeader, origin, authorization);

    /// <summary>Basic credentials, as the page sends them after logging in.</summary>
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>403 with the OCI error body naming DENIED.</summary>
    public static async Task AssertDeniedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Contains(document.RootElement.GetProperty("errors").EnumerateArray(), error => error.GetProperty("code").GetString() == "DENIED");
    }

    private static async Task<HttpResponseMessage> SendAsync(Uri uri, bool uiHeader, string? origin, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, uri);
        if (uiHeader)
        {
            request.Headers.Add("X-Berth-Ui", "1");
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        request.Headers.Authorization = authorization;
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
