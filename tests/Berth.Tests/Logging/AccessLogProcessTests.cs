using System.Net;
using System.Text.Json;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Logging;

/// <summary>The access line and <c>X-Request-Id</c> of a real berth process, read from what it printed.</summary>
public sealed class AccessLogProcessTests : IDisposable
{
    private const string AccessCategory = "Berth.Hosting.RequestLogMiddleware";
    private readonly TempDirectory _folder = new("berth-accesslog");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AccessLine_JsonUnderPrefix_HasEveryFieldAndEchoesTheProxysId()
    {
        await using var berth = await StartAsync(new() { ["REGISTRY_HTTP_PREFIX"] = "/reg/" });
        using var http = new HttpClient { BaseAddress = berth.BaseUri };

        using (var request = new HttpRequestMessage(HttpMethod.Get, "reg/v2/"))
        {
            request.Headers.Add("X-Request-Id", "proxy-42");
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("proxy-42", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        }

        await berth.StopAsync();
        var line = Assert.Single(AccessLines(berth), l => l.GetProperty("request_id").GetString() == "proxy-42");
        Assert.Equal("info", line.GetProperty("level").GetString());
        Assert.Equal("GET", line.GetProperty("Method").GetString());
        Assert.Equal("/reg/v2/", line.GetProperty("Path").GetString());
        Assert.Equal(200, line.GetProperty("Status").GetInt32());
        Assert.Equal(2, line.GetProperty("Bytes").GetInt64());
        Assert.True(line.GetProperty("DurationMs").GetDouble() >= 0);
        Assert.Equal("-", line.GetProperty("User").GetString());
        Assert.Equal("127.0.0.1", line.GetProperty("Remote").GetString());
        Assert.Equal("registry", line.GetProperty("service").GetString());
        Assert.StartsWith("GET /reg/v2/ 200 2 ", line.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorResponse_NoOrBadIncomingId_GetsAFreshIdInHeaderAndLog()
    {
        await using var berth = await StartAsync(new() { ["REGISTRY_LOG_FORMATTER"] = "logstash" });
        using var http = new HttpClient { BaseAddress = berth.BaseUri };

        var fresh = await RequestIdOfAsync(http, "v2/absent/manifests/latest", incoming: null, HttpStatusCode.NotFound);
        var replaced = await RequestIdOfAsync(http, "v2/absent/manifests/latest", incoming: "two words", HttpStatusCode.NotFound);

        Assert.Matches("^[0-9a-f]{32}$", fresh);
        Assert.Matches("^[0-9a-f]{32}$", replaced);
        Assert.NotEqual(fresh, replaced);
        await berth.StopAsync();
        var lines = AccessLines(berth, messageKey: "message");
        Assert.All([fresh, replaced], id => Assert.Single(lines, l => l.GetProperty("request_id").GetString() == id
            && l.GetProperty("Status").GetInt32() == 404 && l.GetProperty("@version").GetString() == "1"));
    }

    [Fact]
    public async Task AccessLogDisabled_NoAccessLineButTheHeaderIsSent()
    {
        await using var berth = await StartAsync(new() { ["REGISTRY_LOG_ACCESSLOG_DISABLED"] = "true" });
        using var http = new HttpClient { BaseAddress = berth.BaseUri };

        var id = await RequestIdOfAsync(http, "v2/", incoming: "kept-1", HttpStatusCode.OK);

        Assert.Equal("kept-1", id);
        await berth.StopAsync();
        Assert.Empty(AccessLines(berth));
    }

    private Task<BerthProcess> StartAsync(Dictionary<string, string> environment)
    {
        environment.TryAdd("REGISTRY_LOG_FORMATTER", "json");
        environment["REGISTRY_LOG_FIELDS_SERVICE"] = "registry";
        return BerthProcess.StartAsync(_folder.Combine("registry"), environment, cancellationToken: Ct);
    }

    private static async Task<string> RequestIdOfAsync(HttpClient http, string path, string? incoming, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (incoming is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", incoming);
        }

        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(expected, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("X-Request-Id"));
    }

    /// <summary>Every line berth printed, each of which must be one JSON object; the access lines among them.</summary>
    private static List<JsonElement> AccessLines(BerthProcess berth, string messageKey = "msg")
    {
        var lines = berth.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var parsed = lines.Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(document.RootElement.TryGetProperty(messageKey, out _), line);
            return document.RootElement.Clone();
        }).ToList();
        return parsed.Where(l => l.GetProperty("category").GetString() == AccessCategory).ToList();
    }
}
