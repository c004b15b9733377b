using Berth.Core;
using Berth.Metrics;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>The per-repository byte counters' first-come labels, and the uploads gauge, read as Prometheus would.</summary>
public sealed class RepositoryTrafficTests : IDisposable
{
    private const string Pushed = "berth_repository_bytes_pushed_total";
    private const string Pulled = "berth_repository_bytes_pulled_total";
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }

    [Fact]
    public void Record_OneRepositoryMoreThanLabels_LastFoldsIntoOtherAndCountsAddUp()
    {
        var (metrics, collector) = Create(repositories: 2);
        metrics.Repositories.Pushed(Name("labs/a"), 100);
        metrics.Repositories.Pulled(Name("labs/b"), 20);
        metrics.Repositories.Pushed(Name("labs/c"), 7);
        metrics.Repositories.Pulled(Name("labs/c"), 3);
        metrics.Repositories.Pulled(Name("labs/a"), 1);
        metrics.Repositories.Pushed(Name("labs/b"), 5);

        var scrape = PrometheusText.Parse(collector.Scrape());

        Assert.Equal([("labs/a", 100d, 1d), ("labs/b", 5d, 20d), ("other", 7d, 3d)], Labels(scrape));
        Assert.Equal(112, Total(scrape, Pushed));
        Assert.Equal(24, Total(scrape, Pulled));
    }

    [Fact]
    public void Record_ManyRepositoriesAtOnce_AtMostNPlusOneSeriesAndTotalsAddUp()
    {
        var (metrics, collector) = Create(repositories: 5);
        var names = Enumerable.Range(0, 40).Select(i => Name($"repo{i}")).ToArray();

        Parallel.For(0, 4000, i =>
        {
            metrics.Repositories.Pushed(names[i % names.Length], 3);
            metrics.Repositories.Pulled(names[(i * 7) % names.Length], 2);
        });
        var scrape = PrometheusText.Parse(collector.Scrape());

        var labels = Labels(scrape);
        Assert.Equal(6, labels.Count);
        Assert.Single(labels, label => label.Repository == "other");
        Assert.Equal(12_000, Total(scrape, Pushed));
        Assert.Equal(8_000, Total(scrape, Pulled));
    }

    [Fact]
    public void Record_ZeroBytes_TakesNoLabel()
    {
        var (metrics, collector) = Create(repositories: 1);
        metrics.Repositories.Pulled(Name("empty"), 0);
        metrics.Repositories.Pushed(Name("empty"), 0);
        metrics.Repositories.Pulled(Name("busy"), 9);

        Assert.Equal([("busy", 0d, 9d)], Labels(PrometheusText.Parse(collector.Scrape())));
    }

    [Fact]
    public void Record_RepositoryNamedOther_CountedAsOtherWithoutTakingALabel()
    {
        var (metrics, collector) = Create(repositories: 1);
        metrics.Repositories.Pushed(Name("other"), 4);
        metrics.Repositories.Pushed(Name("named"), 6);

        Assert.Equal([("named", 6d, 0d), ("other", 4d, 0d)], Labels(PrometheusText.Parse(collector.Scrape())));
    }

    [Fact]
    public void Record_NoLabels_EverythingIsOther()
    {
        var (metrics, collector) = Create(repositories: 0);
        metrics.Repositories.Pushed(Name("labs/a"), 1);
        metrics.Repositories.Pulled(Name("labs/b"), 2);

        Assert.Equal([("other", 1d, 2d)], Labels(PrometheusText.Parse(collector.Scrape())));
    }

    [Fact]
    public void Scrape_ByteCounters_TypedAsCountersAndAbsentUntilBytesMove()
    {
        var (metrics, collector) = Create(repositories: 3);
        Assert.DoesNotContain("berth_repository_bytes", collector.Scrape(), StringComparison.Ordinal);

        metrics.Repositories.Pushed(Name("labs/a"), 1);
        var lines = collector.Scrape().Split('\n');

        Assert.Contains($"# TYPE {Pushed} counter", lines);
        Assert.Contains($"# TYPE {Pulled} counter", lines);
        Assert.Contains($"{Pushed}{{repository=\"labs/a\"}} 1", lines);
        Assert.Contains($"{Pulled}{{repository=\"labs/a\"}} 0", lines);
    }

    [Fact]
    public void UploadsInProgress_StartedAndEnded_GoesUpAndBackDown()
    {
        var (metrics, collector) = Create(repositories: 1);
        double Gauge() => PrometheusText.Parse(collector.Scrape()).Value("berth_uploads_in_progress");

        Assert.Equal(0, Gauge());
        metrics.UploadStarted();
        metrics.UploadStarted();
        Assert.Equal(2, Gauge());
        metrics.UploadEnded();
        Assert.Equal(1, Gauge());
        metrics.UploadEnded();
        Assert.Equal(0, Gauge());
        Assert.Contains("# TYPE berth_uploads_in_progress gauge", collector.Scrape().Split('\n'));
    }

    private static RepositoryName Name(string text) => RepositoryName.Parse(text);

    /// <summary>Every repository label with its pushed and pulled bytes, in label order.</summary>
    private static List<(string Repository, double Pushed, double Pulled)> Labels(PrometheusText scrape) =>
        [.. scrape.Series.Where(series => series.StartsWith(Pushed + "{", StringComparison.Ordinal) || series.StartsWith(Pulled + "{", StringComparison.Ordinal))
            .Select(series => series.Split('"')[1]).Distinct().Order(StringComparer.Ordinal)
            .Select(label => (label, scrape.Value(Pushed, ("repository", label)), scrape.Value(Pulled, ("repository", label))))];

    private static double Total(PrometheusText scrape, string name) =>
        scrape.Series.Where(series => series.StartsWith(name + "{", StringComparison.Ordinal))
            .Sum(series => scrape.Value(name, ("repository", series.Split('"')[1])));

    private (BerthMetrics Metrics, PrometheusCollector Collector) Create(int repositories)
    {
        var metrics = new BerthMetrics("test", repositories);
        var collector = new PrometheusCollector(metrics.Meter);
        _owned.Add(metrics);
        _owned.Add(collector);
        return (metrics, collector);
    }
}
