using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Health;

/// <summary>
/// The debug port and the health checks in a real berth process. Checks run every 100 ms here; every wait polls with
/// a deadline. The deterministic 503 uses a file check (a read-only root does not stop root, which runs CI); the
/// storage check is failed by turning the root into a file, which stops anyone.
/// </summary>
public sealed class HealthProcessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new("berth-health");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Root => _temp.Combine("root");

    [Fact]
    public async Task DebugPort_HealthyRegistry_HealthEmptyLiveAndReady()
    {
        var (berth, debug) = await StartAsync([]);
        await using var _ = berth;

        var health = await GetAsync(debug, "debug/health");
        Assert.Equal((HttpStatusCode.OK, "{}"), (health.Status, health.Body));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(debug, "livez")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(debug, "readyz")).Status);
        // The debug port is not a second registry port, and the registry port has no debug endpoints.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(debug, "v2/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(berth.BaseUri, "debug/health")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(berth.BaseUri, "v2/")).Status);
    }

    [Fact]
    public async Task FileCheck_FileExists_RegistryAnswers503UntilItIsDeleted()
    {
        var down = _temp.Combine("down");
        await File.WriteAllTextAsync(down, "maintenance", Token);
        var (berth, debug) = await StartAsync(new() { ["REGISTRY_HEALTH_FILE"] = $"[{{file: '{down}', interval: 100ms}}]" });
        await using var _ = berth;

        using (var response = await _http.GetAsync(new Uri(berth.BaseUri, "v2/"), Token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(["registry/2.0"], response.Headers.GetValues("Docker-Distribution-API-Version"));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
            var error = body.RootElement.GetProperty("errors")[0];
            Assert.Equal(("UNAVAILABLE", "service unavailable", "health check failed: please see /debug/health"),
                (error.GetProperty("code").GetString(), error.GetProperty("message").GetString(), error.GetProperty("detail").GetString()));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(berth.BaseUri, "")).Status);
        var health = await GetAsync(debug, "debug/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal(new Dictionary<string, string> { [down] = "file exists" }, JsonSerializer.Deserialize<Dictionary<string, string>>(health.Body));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(debug, "readyz")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(debug, "livez")).Status);

        File.Delete(down);

        await UntilAsync(berth, async () => (await GetAsync(berth.BaseUri, "v2/")).Status == HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.OK, "{}"), await GetAsync(debug, "debug/health"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(debug, "readyz")).Status);
    }

    [Fact]
    public async Task StorageCheck_RootBecomesAFile_FailsAndRecovers()
    {
        var (berth, debug) = await StartAsync(new()
        {
            ["REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL"] = "100ms",
            ["REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD"] = "2",
        });
        await using var _ = berth;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(debug, "debug/health")).Status);

        var moved = _temp.Combine("moved");
        Directory.Move(Root, moved);
        await File.WriteAllTextAsync(Root, "not a folder", Token);

        await UntilAsync(berth, async () => (await GetAsync(berth.BaseUri, "v2/")).Status == HttpStatusCode.ServiceUnavailable);
        var health = await GetAsync(debug, "debug/health");
        Assert.Contains("storagedriver_filesystem", JsonSerializer.Deserialize<Dictionary<string, string>>(health.Body)!.Keys);

        File.Delete(Root);
        PutBack(moved, Root);

        await UntilAsync(berth, async () => (await GetAsync(debug, "debug/health")).Status == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(berth.BaseUri, "v2/")).Status);
    }

    /// <summary>
    /// Moves the real root back. The storage check writes every 100 ms, and a write makes a missing root folder again:
    /// one made between the delete of the file and the move is removed and the move tried again (seen once in CI).
    /// </summary>
    private static void PutBack(string moved, string root)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Move(moved, root);
                return;
            }
            catch (IOException) when (attempt < 1000 && Directory.Exists(root))
            {
                try
                {
                    Directory.Delete(root, recursive: true);
                }
                catch (IOException)
                {
                    // The check was writing into it meanwhile: the next attempt deletes what it left.
                }
            }
        }
    }

    [Fact]
    public async Task TcpCheck_ListeningAndDeadPorts_OnlyTheDeadOneFails()
    {
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        var live = $"127.0.0.1:{((IPEndPoint)listening.LocalEndpoint).Port}";
        var dead = $"127.0.0.1:{FreePort.Next()}";
        var (berth, debug) = await StartAsync(new()
        {
            ["REGISTRY_HEALTH_TCP"] = $"[{{addr: '{live}', interval: 100ms}}, {{addr: '{dead}', interval: 100ms, timeout: 2s}}]",
        });
        await using var _ = berth;

        var failures = await FailuresAsync(berth, debug);
        Assert.Equal([dead], failures.Keys);
        Assert.StartsWith($"connection to {dead} failed", failures[dead], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpCheck_TinyServer_ExpectedStatusAndHeadersPassOthersFail()
    {
        var (server, port) = LoopbackHttpListener.Start();
        using var listener = server;
        var serving = LoopbackHttpListener.ServeAsync(server, AnswerProbe);
        var ok = $"http://127.0.0.1:{port}/ok";
        var bad = $"http://127.0.0.1:{port}/bad";
        var (berth, debug) = await StartAsync(new()
        {
            ["REGISTRY_HEALTH_HTTP"] = $"[{{uri: '{ok}', statuscode: 204, headers: {{X-Probe: [yes]}}, interval: 100ms}}, {{uri: '{bad}', interval: 100ms}}]",
        });
        await using var _ = berth;

        Assert.Equal(new Dictionary<string, string> { [bad] = "downstream service returned unexpected status: 500" }, await FailuresAsync(berth, debug));
        server.Stop();
        await serving;
    }

    [Fact]
    public async Task Serve_DefaultConfiguration_PrintsNoWarning()
    {
        // Only the address and root are set (by REGISTRY_* variables); the rest is the image's default config,
        // whose health.storagedriver section used to be named in a warning at every start.
        await using var berth = await BerthProcess.StartAsync(Root, cancellationToken: Token);
        await berth.StopAsync();

        Assert.DoesNotContain("warn", berth.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not implemented", berth.Output, StringComparison.Ordinal);
        Assert.Contains("berth listening on", berth.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DebugPortTaken_StopsNamingHttpDebugAddr()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["serve"], new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_ADDR"] = $"127.0.0.1:{FreePort.Next()}",
            ["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{port}",
            ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = Root,
        });

        Assert.Equal(1, exitCode);
        Assert.Contains($"http.debug.addr: cannot listen on 127.0.0.1:{port}", output, StringComparison.Ordinal);
    }

    /// <summary>Answers /ok with 204 when the check sent X-Probe: yes, everything else with 500.</summary>
    private static Task AnswerProbe(HttpListenerContext context)
    {
        var probed = context.Request.Url!.AbsolutePath == "/ok" && context.Request.Headers["X-Probe"] == "yes";
        context.Response.StatusCode = probed ? 204 : 500;
        context.Response.Close();
        return Task.CompletedTask;
    }

    private async Task<(BerthProcess Berth, Uri Debug)> StartAsync(Dictionary<string, string> settings)
    {
        var debugPort = FreePort.Next();
        settings["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}";
        var berth = await BerthProcess.StartAsync(Root, settings, cancellationToken: Token);
        var debug = new Uri($"http://127.0.0.1:{debugPort}/");
        await UntilAsync(berth, async () => (await GetAsync(debug, "livez")).Status == HttpStatusCode.OK);
        return (berth, debug);
    }

    /// <summary>Waits for /debug/health to answer 503 and returns its failing checks.</summary>
    private async Task<Dictionary<string, string>> FailuresAsync(BerthProcess berth, Uri debug)
    {
        await UntilAsync(berth, async () => (await GetAsync(debug, "debug/health")).Status == HttpStatusCode.ServiceUnavailable);
        return JsonSerializer.Deserialize<Dictionary<string, string>>((await GetAsync(debug, "debug/health")).Body)!;
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri server, string path)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(server, path), Token);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    private static async Task UntilAsync(BerthProcess berth, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Deadline, "condition not met within the deadline:\n" + berth.Output);
            Assert.False(berth.HasExited, "berth exited:\n" + berth.Output);
            await Task.Delay(50, Token);
        }
    }
}
