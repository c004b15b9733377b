using Berth.Metrics;
using Xunit;

namespace Berth.Tests.Metrics;

public sealed class PrometheusCollectorTests : IDisposable
{
    private readonly BerthMetrics _metrics = new("1.2.3");
    private readonly PrometheusCollector _collector;

    public PrometheusCollectorTests() => _collector = new PrometheusCollector(_metrics.Meter);

    public void Dispose()
    {
        _collector.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void Scrape_TwoRequests_PrintsRegistryNamesCumulativeBucketsAndGoStyleBounds()
    {
        _metrics.RequestStarted("manifest");
        _metrics.RequestEnded("manifest", "get", 200, 0.02, 0, 5000);
        _metrics.RequestStarted("manifest");
        _metrics.RequestEnded("manifest", "get", 200, 3, 0, 5000);

        var lines = _collector.Scrape().Split('\n');

        Assert.Contains("# TYPE registry_http_requests_total counter", lines);
        Assert.Contains("registry_http_requests_total{code=\"200\",handler=\"manifest\",method=\"get\"} 2", lines);
        Assert.Contains("# TYPE registry_http_request_duration_seconds histogram", lines);
        Assert.Contains("registry_http_request_duration_seconds_bucket{handler=\"manifest\",method=\"get\",le=\"0.01\"} 0", lines);
        Assert.Contains("registry_http_request_duration_seconds_bucket{handler=\"manifest\",method=\"get\",le=\"0.025\"} 1", lines);
        Assert.Contains("registry_http_request_duration_seconds_bucket{handler=\"manifest\",method=\"get\",le=\"2.5\"} 1", lines);
        Assert.Contains("registry_http_request_duration_seconds_bucket{handler=\"manifest\",method=\"get\",le=\"5\"} 2", lines);
        Assert.Contains("registry_http_request_duration_seconds_bucket{handler=\"manifest\",method=\"get\",le=\"+Inf\"} 2", lines);
        Assert.Contains("registry_http_request_duration_seconds_sum{handler=\"manifest\",method=\"get\"} 3.02", lines);
        Assert.Contains("registry_http_request_duration_seconds_count{handler=\"manifest\",method=\"get\"} 2", lines);
        Assert.Contains("registry_http_response_size_bytes_bucket{handler=\"manifest\",le=\"4096\"} 0", lines);
        Assert.Contains("registry_http_response_size_bytes_bucket{handler=\"manifest\",le=\"8192\"} 2", lines);
        Assert.Contains("registry_http_response_size_bytes_bucket{handler=\"manifest\",le=\"4.194304e+06\"} 2", lines);
        Assert.Contains("# TYPE registry_http_in_flight_requests gauge", lines);
        Assert.Contains("registry_http_in_flight_requests{handler=\"manifest\"} 0", lines);
        Assert.Contains("berth_build_info{version=\"1.2.3\"} 1", lines);
    }

    [Fact]
    public void Scrape_NothingRecorded_OnlyBuildInfoAndUploadGauge()
    {
        var lines = _collector.Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["berth_build_info{version=\"1.2.3\"} 1", "berth_uploads_in_progress 0"], lines.Where(line => !line.StartsWith('#')));
        Assert.All(lines, line => Assert.Matches("berth_build_info|berth_uploads_in_progress", line));
    }
}
