using System.Net;
using System.Text.Json;
using Xunit;

namespace Berth.Tests.Http;

internal static class ResponseAssert
{
    /// <summary>
    /// Asserts the status and the OCI error envelope <c>{"errors":[{"code","message","detail"}]}</c> with
    /// <paramref name="code"/> first (HEAD answers carry no body, so only the status is checked there).
    /// </summary>
    public static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        if (response.RequestMessage?.Method == HttpMethod.Head)
        {
            return;
        }

        AssertEnvelope(body, code);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        // Self-delimited, not chunked: a client whose request is being reset still reads a whole answer.
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
    }

    public static void AssertEnvelope(string body, string code)
    {
        using var json = JsonDocument.Parse(body);
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.True(errors.GetArrayLength() > 0, body);
        var first = errors[0];
        Assert.Equal(code, first.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("message").GetString()), body);
        if (first.TryGetProperty("detail", out var detail))
        {
            Assert.NotEqual(JsonValueKind.Undefined, detail.ValueKind);
        }
    }

    /// <summary>201 with the blob's Location and digest, and the blob now served with exactly its bytes.</summary>
    public static async Task BlobCreatedAsync(HttpClient http, HttpResponseMessage response, string repository, Content blob)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(blob.Digest, Header(response, "Docker-Content-Digest"));
        Assert.EndsWith($"/v2/{repository}/blobs/{blob.Digest}", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        using var get = await http.GetAsync($"v2/{repository}/blobs/{blob.Digest}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(blob.Bytes, await get.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The one value of a response header (content headers included).</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
