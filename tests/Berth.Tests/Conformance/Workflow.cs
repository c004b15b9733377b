namespace Berth.Tests.Conformance;

/// <summary>
/// What every workflow shares: the client, the data, the options, and the request shapes the Go suite repeats
/// in its setup and teardown specs (POST then PUT a blob, PUT a manifest, DELETE).
/// </summary>
internal abstract class Workflow(OciClient client, ConformanceData data, SuiteOptions options)
{
    protected OciClient Client { get; } = client;

    protected ConformanceData Data { get; } = data;

    protected SuiteOptions Options { get; } = options;

    /// <summary>The specs in the order Ginkgo runs them under the given options.</summary>
    public abstract IEnumerable<Spec> Specs();

    /// <summary>POST an upload, then PUT the whole blob to its Location with ?digest=.</summary>
    protected async Task<OciResponse> PushBlobAsync(TestBlob blob)
    {
        var session = await Client.Request(HttpMethod.Post, "/v2/<name>/blobs/uploads/").SendAsync();
        return await SendBlobAsync(HttpMethod.Put, session.RelativeLocation, blob);
    }

    /// <summary>The whole blob in the body with ?digest=: a monolithic POST, or the PUT that closes an upload.</summary>
    protected Task<OciResponse> SendBlobAsync(HttpMethod method, string path, TestBlob blob) =>
        Client.Request(method, path)
            .Query("digest", blob.Digest)
            .Header("Content-Type", "application/octet-stream")
            .Header("Content-Length", blob.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithBody(blob.Content)
            .SendAsync();

    protected Task<OciResponse> PutManifestAsync(string reference, byte[] content, string contentType = ConformanceData.ImageManifest) =>
        Client.Request(HttpMethod.Put, "/v2/<name>/manifests/<reference>")
            .WithReference(reference)
            .Header("Content-Type", contentType)
            .WithBody(content)
            .SendAsync();

    protected Task<OciResponse> GetAsync(string pathTemplate, string digest) =>
        Client.Request(HttpMethod.Get, pathTemplate).WithDigest(digest).SendAsync();

    protected Task<OciResponse> DeleteManifestAsync(string reference) =>
        Client.Request(HttpMethod.Delete, "/v2/<name>/manifests/<digest>").WithDigest(reference).SendAsync();

    protected Task<OciResponse> DeleteBlobAsync(string digest) =>
        Client.Request(HttpMethod.Delete, "/v2/<name>/blobs/<digest>").WithDigest(digest).SendAsync();

    protected Task<OciResponse> GetTagListAsync() => Client.Request(HttpMethod.Get, "/v2/<name>/tags/list").SendAsync();
}

/// <summary>The tag list body <c>{"name": ..., "tags": [...]}</c>.</summary>
internal static class TagList
{
    /// <summary>Like the suite's getTagList: a body that does not parse reads as no tags.</summary>
    public static IReadOnlyList<string> ParseOrEmpty(byte[] body)
    {
        try
        {
            return Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    /// <summary>Like the suite's json.Unmarshal followed by Expect(err).To(BeNil()): a bad body fails the spec.</summary>
    public static IReadOnlyList<string> Parse(byte[] body)
    {
        var list = System.Text.Json.JsonSerializer.Deserialize<TagListBody>(body, JsonOptions);
        return list?.Tags ?? [];
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record TagListBody(string? Name, List<string>? Tags);
}
