using System.Globalization;
using Berth.TestKit;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>
/// Storage used end to end: two images sharing a layer pushed into two repositories of a real berth, counted by online
/// collection and by the scan that runs without it, read from the debug port's metrics to the byte; then
/// <c>garbage-collect --usage</c> on the stopped store, and a restarted berth showing the figures it wrote.
/// </summary>
public sealed class UsageMetricsProcessTests : IDisposable
{
    private const string RepositoryBytes = "berth_storage_repository_bytes";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _folder = new("berth-usage");
    private readonly HttpClient _http = new();
    private readonly Content _base = new(TestManifests.OciLayer, Digests.RandomBytes(5000));
    private readonly Content _ownLayer = new(TestManifests.OciLayer, Digests.RandomBytes(700));
    private readonly Content _firstConfig = TestManifests.Config();
    private readonly Content _secondConfig = TestManifests.Config();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Root => _folder.Combine("registry");

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Scrape_OnlineCollection_ExactUniqueAndSharedBytesThenGarbageCollectUsageAndARestartAgree()
    {
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_STORAGE_MAINTENANCE_GC_ENABLED"] = "true",
            ["REGISTRY_STORAGE_MAINTENANCE_GC_INTERVAL"] = "100ms",
            // Collections every 100 ms with a grace of 0 would need the pushes to retry as docker does (a blob uploaded two
            // cycles before its manifest may be gone); the grace keeps young blobs and counts nothing differently.
            ["REGISTRY_STORAGE_MAINTENANCE_GC_GRACE"] = "1h",
        };
        Expected expected;
        await using (var berth = await StartAsync(environment, out var metrics))
        {
            expected = await PushAsync(berth);
            await AssertScrapedAsync(berth, metrics, expected);
        }

        var config = _folder.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {Root}\n", Ct);
        var (exitCode, output) = await BerthProcess.RunToEndAsync(["garbage-collect", "--usage", "--quiet", config]);

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["REPOSITORY", "UNIQUE", "SHARED"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["labs/first", Text(expected.FirstUnique), Text(_base.Size)], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["labs/second", Text(expected.SecondUnique), Text(_base.Size)], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"total: 2 repositories, 6 blobs, {expected.InUse} bytes in use (", lines[3], StringComparison.Ordinal);
        Assert.EndsWith($"{expected.FirstUnique + expected.SecondUnique} unique to one repository, {_base.Size} shared (each shared blob once)",
            lines[3], StringComparison.Ordinal);

        // No collection and no scan due (the figures are fresh): what the restarted node shows is what garbage-collect wrote.
        await using var restarted = await StartAsync([], out var restartedMetrics);
        await AssertScrapedAsync(restarted, restartedMetrics, expected);
    }

    [Fact]
    public async Task Scrape_OnlineCollectionOff_TheUsageScanCounts()
    {
        await using var berth = await StartAsync(new Dictionary<string, string> { ["BERTH_USAGE_SCAN_INTERVAL"] = "100ms" }, out var metrics);
        var expected = await PushAsync(berth);

        await AssertScrapedAsync(berth, metrics, expected);
        Assert.DoesNotContain("berth_gc_runs_total", await _http.GetStringAsync(metrics, Ct), StringComparison.Ordinal);
    }

    private Task<BerthProcess> StartAsync(Dictionary<string, string> environment, out Uri metrics)
    {
        var debugPort = FreePort.Next();
        environment["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{debugPort}";
        environment["REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED"] = "true";
        metrics = new Uri($"http://127.0.0.1:{debugPort}/metrics");
        return BerthProcess.StartAsync(Root, environment, cancellationToken: Ct);
    }

    /// <summary><c>labs/first</c>: its config, the base layer and a layer of its own; <c>labs/second</c>: its config and the base, under two tags.</summary>
    private async Task<Expected> PushAsync(BerthProcess berth)
    {
        using var registry = new HttpClient { BaseAddress = berth.BaseUri };
        var client = new RegistryClient(registry);
        var first = TestManifests.Image(_firstConfig, [_base, _ownLayer]);
        var second = TestManifests.Image(_secondConfig, [_base]);
        await client.PushImageAsync("labs/first", "v1", first, _firstConfig, _base, _ownLayer);
        await client.PushImageAsync("labs/second", "v1", second, _secondConfig, _base);
        await client.PushImageAsync("labs/second", "v2", second, _secondConfig, _base);
        var firstUnique = first.Size + _firstConfig.Size + _ownLayer.Size;
        var secondUnique = second.Size + _secondConfig.Size;
        return new Expected(firstUnique, secondUnique, firstUnique + secondUnique + _base.Size);
    }

    /// <summary>Scrapes until the figures are there (the first collection or scan may still be running), then checks every one.</summary>
    private async Task AssertScrapedAsync(BerthProcess berth, Uri metrics, Expected expected)
    {
        PrometheusText? scrape = null;
        await Readiness.WaitUntilAsync(async () =>
        {
            Assert.False(berth.HasExited, "berth exited:\n" + berth.Output);
            scrape = await MetricsScrape.OnceAsync(_http, metrics, Ct);
            return scrape.Has("berth_storage_bytes_in_use") && scrape.Value("berth_storage_bytes_in_use") == expected.InUse;
        }, Deadline, "the storage used to be counted", Ct);

        Assert.Equal(expected.FirstUnique, scrape!.Value(RepositoryBytes, ("kind", "unique"), ("repository", "labs/first")));
        Assert.Equal(_base.Size, scrape.Value(RepositoryBytes, ("kind", "shared"), ("repository", "labs/first")));
        Assert.Equal(expected.SecondUnique, scrape.Value(RepositoryBytes, ("kind", "unique"), ("repository", "labs/second")));
        Assert.Equal(_base.Size, scrape.Value(RepositoryBytes, ("kind", "shared"), ("repository", "labs/second")));
        Assert.Equal(4, scrape.Series.Count(series => series.StartsWith(RepositoryBytes + "{", StringComparison.Ordinal)));
        var computed = DateTimeOffset.FromUnixTimeSeconds((long)scrape.Value("berth_storage_usage_computed_timestamp_seconds"));
        Assert.InRange(computed, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Expected(long FirstUnique, long SecondUnique, long InUse);
}
