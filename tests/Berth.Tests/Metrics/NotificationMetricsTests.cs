using System.Security.Cryptography;
using Berth.Core;
using Berth.Events;
using Berth.Metrics;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>registry:2's notification series as Berth prints them: names, help texts, labels and label values.</summary>
public sealed class NotificationMetricsTests : IDisposable
{
    private readonly BerthMetrics _metrics = new("test");
    private readonly PrometheusCollector _collector;
    private readonly NotificationMetrics _notifications;

    public NotificationMetricsTests()
    {
        _collector = new PrometheusCollector(_metrics.Meter);
        _notifications = new NotificationMetrics(_metrics.Meter);
    }

    public void Dispose()
    {
        _collector.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void Scrape_QueuedAnsweredUnansweredDropped_CountedAsRegistryTypesAndStatusTexts()
    {
        for (var i = 0; i < 3; i++)
        {
            _notifications.Queued("hook");
        }

        _notifications.Answered("hook", 503, accepted: false);
        _notifications.Answered("hook", 200, accepted: true);
        _notifications.Answered("hook", 200, accepted: true);
        _notifications.Unanswered("hook");
        _notifications.Dropped("hook");
        _notifications.Queued("other");

        var lines = _collector.Scrape().Split('\n');

        Assert.Contains("# HELP registry_notifications_events_total The number of total events", lines);
        Assert.Contains("# TYPE registry_notifications_events_total counter", lines);
        Assert.Contains("registry_notifications_events_total{endpoint=\"hook\",type=\"Events\"} 3", lines);
        Assert.Contains("registry_notifications_events_total{endpoint=\"hook\",type=\"Successes\"} 2", lines);
        Assert.Contains("registry_notifications_events_total{endpoint=\"hook\",type=\"Failures\"} 1", lines);
        Assert.Contains("registry_notifications_events_total{endpoint=\"hook\",type=\"Errors\"} 1", lines);
        Assert.Contains("registry_notifications_events_total{endpoint=\"other\",type=\"Events\"} 1", lines);
        Assert.Contains("# HELP registry_notifications_status_total The number of status code", lines);
        Assert.Contains("# TYPE registry_notifications_status_total counter", lines);
        Assert.Contains("registry_notifications_status_total{code=\"200 OK\",endpoint=\"hook\"} 2", lines);
        Assert.Contains("registry_notifications_status_total{code=\"503 Service Unavailable\",endpoint=\"hook\"} 1", lines);
        Assert.Contains("# TYPE berth_notifications_dropped_total counter", lines);
        Assert.Contains("berth_notifications_dropped_total{endpoint=\"hook\"} 1", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("registry_notifications_pending_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_Watching_PendingIsEachEndpointsQueueDepth()
    {
        var driver = new InMemoryDriver();
        using var store = new RegistryStore(driver, new StoreOptions());
        using var notifications = Berth.Events.Notifications.Create(new NotificationSettings
        {
            Endpoints =
            [
                new EndpointSettings { Name = "hook", Url = new Uri("http://x/") },
                new EndpointSettings { Name = "idle", Url = new Uri("http://y/"), IgnoredActions = new HashSet<string> { EventActions.Push } },
            ],
        }, driver, "node:5000", NullLoggerFactory.Instance, TimeProvider.System, observer: _notifications);
        await notifications.InitializeAsync(TestContext.Current.CancellationToken);
        _notifications.Watch(notifications);
        var repository = notifications.Decorate(store).Repository(RepositoryName.Parse("team/app"));
        for (var i = 0; i < 2; i++)
        {
            var blob = RandomNumberGenerator.GetBytes(16);
            var upload = await repository.Uploads.StartAsync(TestContext.Current.CancellationToken);
            await repository.Uploads.CompleteAsync(upload.Id, Digest.Compute(blob), new MemoryStream(blob), null, TestContext.Current.CancellationToken);
        }

        var lines = _collector.Scrape().Split('\n');

        Assert.Contains("# HELP registry_notifications_pending_total The gauge of pending events in queue", lines);
        Assert.Contains("# TYPE registry_notifications_pending_total gauge", lines);
        Assert.Contains("registry_notifications_pending_total{endpoint=\"hook\"} 2", lines);
        Assert.Contains("registry_notifications_pending_total{endpoint=\"idle\"} 0", lines);
        Assert.Contains("registry_notifications_events_total{endpoint=\"hook\",type=\"Events\"} 2", lines);
    }

    [Theory]
    [InlineData(200, "200 OK")]
    [InlineData(202, "202 Accepted")]
    [InlineData(413, "413 Request Entity Too Large")]
    [InlineData(416, "416 Requested Range Not Satisfiable")]
    [InlineData(599, "599 ")]
    [InlineData(1000, "1000 ")]
    public void Label_Status_AsGoFormatsItWithItsStatusText(int status, string label) => Assert.Equal(label, GoStatusText.Label(status));
}
