using System.Text;
using System.Web;
using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>
/// The HTTP side of the conformance suite: builds requests the way the Go suite's client (reggie on resty) does,
/// with <c>&lt;name&gt;</c>, <c>&lt;digest&gt;</c> and <c>&lt;reference&gt;</c> placeholders, and records every
/// exchange so a failing spec can show what was sent and what came back.
/// </summary>
internal sealed class OciClient(HttpClient http, string defaultName) : IDisposable
{
    private readonly List<string> _exchanges = [];

    public string DefaultName { get; } = defaultName;

    public Uri BaseAddress => http.BaseAddress!;

    public OciRequest Request(HttpMethod method, string pathTemplate) => new(this, method, pathTemplate);

    /// <summary>The exchanges since the last call, for a failure report; clears the log.</summary>
    public string TakeLog()
    {
        var log = string.Join("\n", _exchanges);
        _exchanges.Clear();
        return log;
    }

    internal async Task<OciResponse> SendAsync(OciRequest request)
    {
        using var message = new HttpRequestMessage(request.Method, request.BuildUri(BaseAddress));
        // Go's net/http sends a Content-Length (0 when there is no body) on POST, PUT and PATCH and computes it from
        // the body, ignoring a hand-set Content-Length header; an empty content reproduces that.
        var needsContent = request.Body is not null || request.Method == HttpMethod.Post || request.Method == HttpMethod.Put
            || request.Method == HttpMethod.Patch || request.Headers.ContainsKey("Content-Type");
        if (needsContent)
        {
            message.Content = new ByteArrayContent(request.Body ?? []);
        }

        foreach (var (key, value) in request.Headers)
        {
            if (key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (message.Content is not null && key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.TryAddWithoutValidation(key, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(key, value);
            }
        }

        using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var result = new OciResponse((int)response.StatusCode, Flatten(response), body, message.RequestUri!);
        _exchanges.Add(Describe(request, message.RequestUri!, result));
        return result;
    }

    public void Dispose() => http.Dispose();

    private static Dictionary<string, string> Flatten(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[key] = string.Join(", ", values);
        }

        return headers;
    }

    private static string Describe(OciRequest request, Uri uri, OciResponse response)
    {
        var text = new StringBuilder();
        text.Append("  > ").Append(request.Method).Append(' ').Append(uri.PathAndQuery);
        foreach (var (key, value) in request.Headers)
        {
            text.Append(" [").Append(key).Append(": ").Append(value).Append(']');
        }

        text.Append(" body ").Append(request.Body?.Length ?? 0).Append(" bytes\n");
        text.Append("  < ").Append(response.Status);
        foreach (var (key, value) in response.Headers)
        {
            text.Append(" [").Append(key).Append(": ").Append(value).Append(']');
        }

        var shown = Encoding.UTF8.GetString(response.Body, 0, Math.Min(response.Body.Length, 400));
        return text.Append(" body: ").Append(shown.ReplaceLineEndings(" ")).ToString();
    }
}

/// <summary>One request under construction; mirrors reggie's request options and resty's setters.</summary>
internal sealed class OciRequest(OciClient client, HttpMethod method, string pathTemplate)
{
    private readonly List<KeyValuePair<string, string>> _query = [];
    private string? _name;
    private string? _digest;
    private string? _reference;

    public HttpMethod Method { get; } = method;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[]? Body { get; private set; }

    public OciRequest WithName(string name) { _name = name; return this; }

    public OciRequest WithDigest(string digest) { _digest = digest; return this; }

    public OciRequest WithReference(string reference) { _reference = reference; return this; }

    public OciRequest Header(string key, string value) { Headers[key] = value; return this; }

    /// <summary>Sets (replaces) a query parameter, as resty's SetQueryParam does.</summary>
    public OciRequest Query(string key, string value)
    {
        _query.RemoveAll(p => p.Key == key);
        _query.Add(new(key, value));
        return this;
    }

    public OciRequest WithBody(byte[] body) { Body = body; return this; }

    public Task<OciResponse> SendAsync() => client.SendAsync(this);

    internal Uri BuildUri(Uri baseAddress)
    {
        var path = pathTemplate
            .Replace("<name>", _name ?? client.DefaultName, StringComparison.Ordinal)
            .Replace("<digest>", _digest ?? "", StringComparison.Ordinal)
            .Replace("<reference>", _reference ?? "", StringComparison.Ordinal);
        var builder = new UriBuilder(new Uri(baseAddress, path));
        // A Location may carry its own query (upload state); keep it and add ours on top.
        var merged = HttpUtility.ParseQueryString(builder.Query);
        foreach (var (key, value) in _query)
        {
            merged[key] = value;
        }

        builder.Query = merged.ToString();
        return builder.Uri;
    }
}

/// <summary>A response read in full, with reggie's Location helpers.</summary>
internal sealed record OciResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, Uri RequestUri)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    /// <summary>Path and query of the Location header, whether it was sent absolute or relative.</summary>
    public string RelativeLocation
    {
        get
        {
            var location = Header("Location");
            if (location.Length == 0)
            {
                return "";
            }

            var uri = new Uri(location, UriKind.RelativeOrAbsolute);
            return uri.IsAbsoluteUri ? uri.PathAndQuery : location;
        }
    }

    /// <summary>The Location header made absolute against the request's scheme and host.</summary>
    public string AbsoluteLocation
    {
        get
        {
            var location = Header("Location");
            return location.Length == 0 ? "" : new Uri(RequestUri, location).ToString();
        }
    }

    public string Text => Encoding.UTF8.GetString(Body);
}
