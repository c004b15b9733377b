using Berth.Metrics;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>registry:2's cache series summed over Berth's caches, and Berth's own per cache.</summary>
public sealed class CacheMetricsTests : IDisposable
{
    private readonly BerthMetrics _metrics = new("test");
    private readonly PrometheusCollector _collector;
    private readonly CacheMetrics _caches;

    public CacheMetricsTests()
    {
        _collector = new PrometheusCollector(_metrics.Meter);
        _caches = new CacheMetrics(_metrics.Meter);
    }

    public void Dispose()
    {
        _collector.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void Scrape_HitsAndMisses_RequestIsTheirSumPerCacheAndOverAll()
    {
        var manifests = _caches.Counter(CacheNames.Manifests);
        var tags = _caches.Counter(CacheNames.Tags);
        manifests.Count(hit: false);
        manifests.Count(hit: true);
        manifests.Count(hit: true);
        tags.Count(hit: false);

        var lines = _collector.Scrape().Split('\n');

        Assert.Contains("# HELP registry_storage_cache_total The number of cache request received", lines);
        Assert.Contains("# TYPE registry_storage_cache_total counter", lines);
        Assert.Contains("registry_storage_cache_total{type=\"Request\"} 4", lines);
        Assert.Contains("registry_storage_cache_total{type=\"Hit\"} 2", lines);
        Assert.Contains("registry_storage_cache_total{type=\"Miss\"} 2", lines);
        Assert.Contains("# TYPE berth_storage_cache_total counter", lines);
        Assert.Contains("berth_storage_cache_total{cache=\"manifests\",type=\"Request\"} 3", lines);
        Assert.Contains("berth_storage_cache_total{cache=\"manifests\",type=\"Hit\"} 2", lines);
        Assert.Contains("berth_storage_cache_total{cache=\"manifests\",type=\"Miss\"} 1", lines);
        Assert.Contains("berth_storage_cache_total{cache=\"tags\",type=\"Request\"} 1", lines);
        Assert.Contains("berth_storage_cache_total{cache=\"tags\",type=\"Hit\"} 0", lines);
    }

    [Fact]
    public void Scrape_AgainAfterMoreLookups_CountsAreCumulative()
    {
        var links = _caches.Counter(CacheNames.Links);
        links.Count(hit: true);
        _ = _collector.Scrape();
        links.Count(hit: true);

        var lines = _collector.Scrape().Split('\n');

        Assert.Contains("registry_storage_cache_total{type=\"Hit\"} 2", lines);
        Assert.Contains("berth_storage_cache_total{cache=\"links\",type=\"Request\"} 2", lines);
    }
}
