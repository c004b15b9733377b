using Berth.Core;
using Berth.Metrics;
using Berth.Storage.Drivers;
using Berth.Storage.Usage;
using Xunit;

namespace Berth.Tests.Metrics;

public sealed class UsageMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Computed = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly BerthMetrics _metrics = new("1.2.3");
    private readonly PrometheusCollector _collector;
    private readonly UsageCache _usage = new(new UsageStore(new InMemoryDriver()), TimeProvider.System);

    public UsageMetricsTests()
    {
        _collector = new PrometheusCollector(_metrics.Meter);
        _ = new UsageMetrics(_metrics.Meter, _usage, limit: 2);
    }

    public void Dispose()
    {
        _collector.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void Scrape_NoFiguresYet_NoUsageSeries()
    {
        Assert.DoesNotContain("berth_storage", _collector.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_ThreeRepositoriesTwoLabels_TopTwoByTotalAndTheRestAsOther()
    {
        _usage.Publish(new StorageUsage(Computed, 10_000, 9, [Row("small", 10, 5), Row("big", 5000, 100), Row("middle", 1, 900), Row("other", 7, 0)]));

        var scrape = PrometheusText.Parse(_collector.Scrape());

        Assert.Equal(5000, scrape.Value("berth_storage_repository_bytes", ("kind", "unique"), ("repository", "big")));
        Assert.Equal(100, scrape.Value("berth_storage_repository_bytes", ("kind", "shared"), ("repository", "big")));
        Assert.Equal(1, scrape.Value("berth_storage_repository_bytes", ("kind", "unique"), ("repository", "middle")));
        Assert.Equal(900, scrape.Value("berth_storage_repository_bytes", ("kind", "shared"), ("repository", "middle")));
        // "small", and the repository that is itself named other, together.
        Assert.Equal(17, scrape.Value("berth_storage_repository_bytes", ("kind", "unique"), ("repository", "other")));
        Assert.Equal(5, scrape.Value("berth_storage_repository_bytes", ("kind", "shared"), ("repository", "other")));
        Assert.Equal(6, scrape.Series.Count(series => series.StartsWith("berth_storage_repository_bytes{", StringComparison.Ordinal)));
        Assert.Equal(10_000, scrape.Value("berth_storage_bytes_in_use"));
        Assert.Equal(Computed.ToUnixTimeSeconds(), scrape.Value("berth_storage_usage_computed_timestamp_seconds"));
    }

    [Fact]
    public void Scrape_RepositoryLeavesTheTopN_ItsSeriesGoAway()
    {
        _usage.Publish(new StorageUsage(Computed, 100, 2, [Row("a", 60, 0), Row("b", 40, 0)]));
        Assert.True(PrometheusText.Parse(_collector.Scrape()).Has("berth_storage_repository_bytes", ("kind", "unique"), ("repository", "b")));

        _usage.Publish(new StorageUsage(Computed.AddHours(1), 100, 3, [Row("a", 60, 0), Row("c", 30, 0), Row("d", 50, 0)]));
        var scrape = PrometheusText.Parse(_collector.Scrape());

        Assert.False(scrape.Has("berth_storage_repository_bytes", ("kind", "unique"), ("repository", "b")));
        Assert.Equal(30, scrape.Value("berth_storage_repository_bytes", ("kind", "unique"), ("repository", "other")));
        Assert.Equal(50, scrape.Value("berth_storage_repository_bytes", ("kind", "unique"), ("repository", "d")));
    }

    private static RepositoryUsage Row(string name, long unique, long shared) => new(RepositoryName.Parse(name), unique, shared);
}
