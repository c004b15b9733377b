using System.Diagnostics;
using System.Net;
using Berth.TestKit;
using Berth.Tests.Http;
using Berth.Tests.Notifications;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>A real berth with <c>http.debug.prometheus</c> on: push and pull, then read the metrics as Prometheus would.</summary>
public sealed class MetricsProcessTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-metrics");
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Scrape_AfterPushAndPull_CountsRequestsByHandlerMethodAndCode()
    {
        var debugPort = FreePort.Next();
        await using var berth = await BerthProcess.StartAsync(_folder.Combine("registry"), new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}",
            ["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true",
            ["REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH"] = "/prom",
        }, cancellationToken: Ct);
        var metricsUri = new Uri($"http://127.0.0.1:{debugPort}/prom");
        var before = await ScrapeWhenReadyAsync(berth, metricsUri);
        using var registry = new HttpClient { BaseAddress = berth.BaseUri };
        var client = new RegistryClient(registry);

        var config = TestManifests.Config();
        var layer = TestManifests.Layer();
        var manifest = TestManifests.Image(config, [layer]);
        await client.PushImageAsync("labs/app", "v1", manifest, config, layer);
        foreach (var path in new[] { "v2/labs/app/manifests/v1", $"v2/labs/app/blobs/{config.Digest}", $"v2/labs/app/blobs/{layer.Digest}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd(manifest.MediaType);
            using var pulled = await registry.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        using (var missing = await registry.GetAsync("v2/labs/app/manifests/nope", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var after = PrometheusText.Parse(await _http.GetStringAsync(metricsUri, Ct));

        double Moved(string handler, string method, string code) =>
            after.Value("registry_http_requests_total", ("handler", handler), ("method", method), ("code", code))
            - before.Value("registry_http_requests_total", ("handler", handler), ("method", method), ("code", code));
        Assert.Equal(2, Moved("blob_upload", "post", "201"));
        Assert.Equal(1, Moved("manifest", "put", "201"));
        Assert.Equal(1, Moved("manifest", "get", "200"));
        Assert.Equal(1, Moved("manifest", "get", "404"));
        Assert.Equal(2, Moved("blob", "get", "200"));

        (string, string)[] manifestGets = [("handler", "manifest"), ("method", "get")];
        Assert.True(after.Has("registry_http_request_duration_seconds_bucket", [.. manifestGets, ("le", "0.005")]));
        Assert.True(after.Has("registry_http_request_duration_seconds_bucket", [.. manifestGets, ("le", "60")]));
        Assert.True(after.Has("registry_http_request_duration_seconds_sum", manifestGets));
        Assert.Equal(2, after.Value("registry_http_request_duration_seconds_count", manifestGets));
        Assert.Equal(2, after.Value("registry_http_request_duration_seconds_bucket", [.. manifestGets, ("le", "+Inf")]));
        Assert.Equal(0, after.Value("registry_http_in_flight_requests", ("handler", "manifest")));
        Assert.True(after.Value("registry_http_response_size_bytes_count", ("handler", "blob")) >= 2);

        // The pushes are monolithic: their blobs are written in place (Writer), not moved from an upload.
        foreach (var action in new[] { "GetContent", "PutContent", "Stat", "Writer" })
        {
            Assert.True(after.Value("registry_storage_action_seconds_count", ("action", action), ("driver", "filesystem")) > 0,
                $"no {action} timed; storage series: {string.Join(' ', after.Series.Where(s => s.StartsWith("registry_storage", StringComparison.Ordinal)))}");
        }

        Assert.Equal(1, after.Value("berth_build_info", ("version", after.Series.Single(s => s.StartsWith("berth_build_info", StringComparison.Ordinal))
            .Split('"')[1])));
    }

    [Fact]
    public async Task Scrape_WebhooksAndRepeatedPulls_NotificationAndCacheSeriesMove()
    {
        var (debugPort, deadPort) = (FreePort.Next(), FreePort.Next());
        await using var receiver = await WebhookReceiver.StartAsync();
        // "dead": nothing listens on its port, so every attempt is an error and its queue of two fills and drops.
        var config = _folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            notifications:
              endpoints:
                - name: hook
                  url: http://127.0.0.1:{receiver.Port}/events
                  timeout: 5s
                - name: dead
                  url: http://127.0.0.1:{deadPort}/events
                  timeout: 1s
                  threshold: 2
                  backoff: 50ms
                  maxqueue: 2
            """, Ct);
        await using var berth = await BerthProcess.StartAsync(_folder.Combine("registry"), new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}",
            ["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true",
        }, config, Ct);
        var metricsUri = new Uri($"http://127.0.0.1:{debugPort}/metrics");
        await ScrapeWhenReadyAsync(berth, metricsUri);
        using var registry = new HttpClient { BaseAddress = berth.BaseUri };
        var config1 = TestManifests.Config();
        var layer = TestManifests.Layer();
        var manifest = TestManifests.Image(config1, [layer]);
        await new RegistryClient(registry).PushImageAsync("labs/app", "v1", manifest, config1, layer);

        var before = PrometheusText.Parse(await _http.GetStringAsync(metricsUri, Ct));
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/labs/app/manifests/v1");
            request.Headers.Accept.ParseAdd(manifest.MediaType);
            using var pulled = await registry.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var listed = await registry.GetAsync("v2/labs/app/tags/list", Ct);
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }

        // Three pushes (config, layer, manifest) and three pulls: six events for each endpoint.
        const int events = 6;
        var after = await ScrapeUntilAsync(metricsUri, scrape =>
            scrape.Value("registry_notifications_events_total", ("endpoint", "hook"), ("type", "Successes")) >= events
            && scrape.Value("registry_notifications_pending_total", ("endpoint", "hook")) == 0
            && scrape.Value("registry_notifications_events_total", ("endpoint", "dead"), ("type", "Errors")) > 0);

        Assert.Equal(events, receiver.Events.Count);
        (string, string) hook = ("endpoint", "hook"), dead = ("endpoint", "dead");
        Assert.Equal(events, after.Value("registry_notifications_events_total", hook, ("type", "Events")));
        Assert.Equal(events, after.Value("registry_notifications_events_total", hook, ("type", "Successes")));
        Assert.Equal(events, after.Value("registry_notifications_status_total", hook, ("code", "200 OK")));
        Assert.False(after.Has("registry_notifications_events_total", hook, ("type", "Failures")));
        Assert.False(after.Has("registry_notifications_events_total", hook, ("type", "Errors")));
        Assert.Equal(0, after.Value("berth_notifications_dropped_total", hook));
        Assert.Equal(2, after.Value("registry_notifications_events_total", dead, ("type", "Events")));
        Assert.Equal(2, after.Value("registry_notifications_pending_total", dead));
        Assert.Equal(events - 2, after.Value("berth_notifications_dropped_total", dead));
        Assert.False(after.Has("registry_notifications_events_total", dead, ("type", "Successes")));

        // The push left each manifest in the cache: three pulls by tag, three hits. Two tag listings, hit or miss by
        // how long ago the tag was written (a list younger than a second is not kept).
        double Moved(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Equal(3, Moved("berth_storage_cache_total", ("cache", "manifests"), ("type", "Hit")));
        Assert.Equal(0, Moved("berth_storage_cache_total", ("cache", "manifests"), ("type", "Miss")));
        Assert.Equal(2, Moved("berth_storage_cache_total", ("cache", "tags"), ("type", "Request")));
        Assert.Equal(5, Moved("registry_storage_cache_total", ("type", "Request")));
        Assert.Equal(5, Moved("registry_storage_cache_total", ("type", "Hit")) + Moved("registry_storage_cache_total", ("type", "Miss")));
        Assert.False(after.Has("berth_storage_cache_total", ("cache", "links"), ("type", "Request")));
    }

    [Fact]
    public async Task Serve_PrometheusOff_MetricsPathNotServedOnEitherPort()
    {
        var debugPort = FreePort.Next();
        await using var berth = await BerthProcess.StartAsync(_folder.Combine("registry"), new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}",
        }, cancellationToken: Ct);

        using var onRegistryPort = await _http.GetAsync(new Uri(berth.BaseUri, "metrics"), Ct);
        using var onDebugPort = await _http.GetAsync(new Uri($"http://127.0.0.1:{debugPort}/metrics"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, onRegistryPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onDebugPort.StatusCode);
        Assert.DoesNotContain("metrics served", berth.Output, StringComparison.Ordinal);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (deliveries run in the background), for up to 30 s.</summary>
    private async Task<PrometheusText> ScrapeUntilAsync(Uri metricsUri, Func<PrometheusText, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var scrape = PrometheusText.Parse(await _http.GetStringAsync(metricsUri, Ct));
            if (done(scrape) || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return scrape;
            }

            await Task.Delay(50, Ct);
        }
    }

    /// <summary>
    /// Polls until the metrics path answers 200: the debug port opens with the registry's, but a poll costs nothing and
    /// keeps the test independent of that order. Fails with berth's output if it exits.
    /// </summary>
    private async Task<PrometheusText> ScrapeWhenReadyAsync(BerthProcess berth, Uri metricsUri)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(metricsUri, Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
                return PrometheusText.Parse(await response.Content.ReadAsStringAsync(Ct));
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(30) && !berth.HasExited)
            {
                // A poll interval, not a guess at how long startup takes.
                await Task.Delay(50, Ct);
            }
        }
    }
}
