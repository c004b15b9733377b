using System.Net;
using System.Text.Json;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Health;

/// <summary>
/// The storage check of a berth on S3 (Ceph RGW) when the gateway goes away and comes back: the registry reports it
/// and recovers by itself. Checks run every 250 ms and fail at the first error; every wait polls with a deadline that
/// leaves room for the S3 client's retries.
/// </summary>
[Collection(RgwGroup.Name)]
public sealed class S3HealthProcessTests(RgwFixture fixture) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task StorageCheck_GatewayStoppedThenStarted_503OnDebugHealthAndV2ThenRecovers()
    {
        var environment = await fixture.NewBucketEnvironmentAsync("health", Token);
        var debugPort = FreePort.Next();
        environment["REGISTRY_HEALTH_STORAGEDRIVER_ENABLED"] = "true";
        environment["REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL"] = "250ms";
        environment["REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD"] = "1";
        environment["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}";
        await using var berth = await BerthProcess.StartWithStorageAsync(environment, Token);
        var debug = new Uri($"http://127.0.0.1:{debugPort}/");
        await UntilAsync(berth, debug, "debug/health", HttpStatusCode.OK, "the storage check to pass");
        Assert.Equal((HttpStatusCode.OK, "{}"), await GetAsync(debug, "debug/health"));

        await fixture.Rgw.StopGatewayAsync(Token);
        try
        {
            await UntilAsync(berth, debug, "debug/health", HttpStatusCode.ServiceUnavailable, "/debug/health to report the gateway gone");
            var failures = JsonSerializer.Deserialize<Dictionary<string, string>>((await GetAsync(debug, "debug/health")).Body)!;
            Assert.Equal(["storagedriver_s3"], failures.Keys);
            await UntilAsync(berth, berth.BaseUri, "v2/", HttpStatusCode.ServiceUnavailable, "/v2/ to answer 503");
            await AssertUnavailableAsync(berth.BaseUri);
        }
        finally
        {
            await fixture.Rgw.StartGatewayAsync(Token);
        }

        await UntilAsync(berth, debug, "debug/health", HttpStatusCode.OK, "/debug/health to recover");
        await UntilAsync(berth, berth.BaseUri, "v2/", HttpStatusCode.OK, "/v2/ to recover");
        Assert.Equal((HttpStatusCode.OK, "{}"), await GetAsync(debug, "debug/health"));
    }

    private async Task AssertUnavailableAsync(Uri registry)
    {
        using var response = await _http.GetAsync(new Uri(registry, "v2/"), Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal(("UNAVAILABLE", "service unavailable", "health check failed: please see /debug/health"),
            (error.GetProperty("code").GetString(), error.GetProperty("message").GetString(), error.GetProperty("detail").GetString()));
    }

    private async Task UntilAsync(BerthProcess berth, Uri server, string path, HttpStatusCode status, string what)
    {
        try
        {
            await Readiness.WaitUntilAsync(async () =>
            {
                Assert.False(berth.HasExited, "berth exited:\n" + berth.Output);
                return (await GetAsync(server, path)).Status == status;
            }, Deadline, what, Token);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}; last answer {await GetAsync(server, path)}\nberth:\n{berth.Output}");
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri server, string path)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(server, path), Token);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !Token.IsCancellationRequested)
        {
            return (0, e.Message);
        }
    }
}
