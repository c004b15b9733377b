using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Redis;

/// <summary>
/// A real berth serving a filesystem root with its shared state in a real Redis (REGISTRY_REDIS_ADDR): Redis going
/// away answers 503 UNAVAILABLE with the OCI body, /v2/ and /debug/health report it, and berth serves again on its
/// own once Redis is back on the same port.
/// </summary>
public sealed class RedisProcessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _temp = new("berth-redis-serve");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Serve_RedisStoppedAndRestarted_503WithOciBodyThenServesAgainWithoutRestart()
    {
        await using var redis = await RedisServer.StartAsync(cancellationToken: Token);
        var debug = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var berth = await BerthProcess.StartAsync(_temp.Combine("root"), new Dictionary<string, string>
        {
            ["REGISTRY_REDIS_ADDR"] = redis.Address,
            ["REGISTRY_REDIS_DIALTIMEOUT"] = "2s",
            ["REGISTRY_HTTP_DEBUG_ADDR"] = debug.Authority,
        }, cancellationToken: Token);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(berth.BaseUri, "v2/app/manifests/latest")).Status);
        Assert.Equal((HttpStatusCode.OK, "{}"), await GetAsync(debug, "debug/health"));

        await redis.StopAsync();
        var clock = Stopwatch.StartNew();
        var (status, body) = await GetAsync(berth.BaseUri, "v2/app/manifests/latest");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        using (var error = JsonDocument.Parse(body))
        {
            Assert.Equal("UNAVAILABLE", error.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
            // A short reason; the client library's diagnostics (keys, counters) stay in the log.
            Assert.DoesNotContain("berth:path", body, StringComparison.Ordinal);
        }

        await UntilAsync(berth, async () => (await GetAsync(debug, "debug/health")).Body.Contains("\"redis\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(berth.BaseUri, "v2/")).Status);

        await redis.StartAgainAsync(Token);

        await UntilAsync(berth, async () => (await GetAsync(berth.BaseUri, "v2/app/manifests/latest")).Status == HttpStatusCode.NotFound);
        Assert.Equal((HttpStatusCode.OK, "{}"), await GetAsync(debug, "debug/health"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(berth.BaseUri, "v2/")).Status);
        Assert.Contains(": connection restored", berth.Output, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri server, string path)
    {
        using var response = await _http.GetAsync(new Uri(server, path), Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    /// <summary>Polls (the health check runs every 10 s, the reconnect every 0.5 to 5 s) until the condition holds.</summary>
    private static async Task UntilAsync(BerthProcess berth, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Deadline, $"not within {Deadline}:\n{berth.Output}");
            await Task.Delay(100, Token);
        }
    }
}
