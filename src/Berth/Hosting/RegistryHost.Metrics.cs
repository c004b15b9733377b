using Berth.Auth;
using Berth.Configuration;
using Berth.Events;
using Berth.Metrics;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Berth.Storage.Usage;

namespace Berth.Hosting;

/// <summary>Where metrics attach: decorators, each applied only when metrics are on, so that off means unchanged.</summary>
internal static partial class RegistryHost
{
    /// <summary>The driver, timed per action (registry:2's <c>registry_storage_action_seconds</c>).</summary>
    private static IStorageDriver Metered(IStorageDriver driver, StorageSettings storage, BerthMetrics? metrics) =>
        metrics is null ? driver : new MeteredStorageDriver(driver, storage.DriverName, metrics);

    /// <summary>The authorizer, its decisions counted; an open registry has none and counts nothing.</summary>
    private static IRegistryAuthorizer? Metered(IRegistryAuthorizer? authorizer, BerthMetrics? metrics) =>
        authorizer is null || metrics is null ? authorizer : new MeteredAuthorizer(authorizer, metrics);

    /// <summary>The stores' caches, counted as <c>cache="manifests"</c> and <c>cache="tags"</c> with metrics on.</summary>
    private static StoreCacheCounters? StoreCounters(CacheMetrics? caches) =>
        caches is null ? null : new StoreCacheCounters(caches.Counter(CacheNames.Manifests), caches.Counter(CacheNames.Tags));

    /// <summary>Notifications, with metrics on observed by registry:2's notification metrics, their queues watched.</summary>
    /// <param name="outboxes">Where the queues live when not in the store (Redis); see <see cref="SharedState.EventOutboxes"/>.</param>
    private static Notifications CreateNotifications(NotificationSettings settings, IStorageDriver driver, string sourceAddr, ILoggerFactory loggers,
        BerthMetrics? metrics, EventOutboxFactory? outboxes)
    {
        var observer = metrics is null ? null : new NotificationMetrics(metrics.Meter);
        var notifications = Notifications.Create(settings, driver, sourceAddr, loggers, TimeProvider.System, observer: observer, outboxes: outboxes);
        observer?.Watch(notifications);
        return notifications;
    }

    /// <summary>
    /// With metrics on, the storage used per repository: the figures the last mark wrote, read before each scrape and shown
    /// as gauges bounded like the traffic series (<c>http.debug.prometheus.repositories</c>). Null with metrics off.
    /// </summary>
    private static UsageCache? CreateUsage(IStorageDriver driver, DebugSettings? debug, BerthMetrics? metrics, PrometheusCollector? collector)
    {
        if (metrics is null || collector is null || debug is null)
        {
            return null;
        }

        var usage = new UsageCache(new UsageStore(driver), TimeProvider.System);
        _ = new UsageMetrics(metrics.Meter, usage, debug.PrometheusRepositories);
        collector.RefreshBeforeScrape(usage.CurrentAsync);
        return usage;
    }

    /// <summary>
    /// Whether this node counts storage used with a scan of its own: metrics want the figures, and no online collection
    /// counts them (its mark does when it runs). Never read-only, where the store is left exactly as it is.
    /// </summary>
    internal static bool ScansUsage(RegistryConfiguration configuration) =>
        configuration.Http.Debug is { PrometheusEnabled: true } && !CollectsOnline(configuration.Storage) && !configuration.Storage.ReadOnly;

    /// <summary>How long after the page's first visit its count of storage used starts: a minute, or (hidden, for tests)
    /// the Go duration in <c>BERTH_UI_USAGE_SCAN_DELAY</c>.</summary>
    internal static TimeSpan PageUsageScanDelay() =>
        Environment.GetEnvironmentVariable("BERTH_UI_USAGE_SCAN_DELAY") is { } text && GoDuration.TryParse(text, out var delay) && delay >= TimeSpan.Zero
            ? delay
            : TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the page's first visit starts that scan: the page is on, and neither online collection nor read-only mode
    /// rules it out. A server nobody looks at never walks its store for it.
    /// </summary>
    internal static bool ScansUsageForPage(RegistryConfiguration configuration) =>
        configuration.Ui.Enabled && !CollectsOnline(configuration.Storage) && !configuration.Storage.ReadOnly;

    [LoggerMessage(Level = LogLevel.Information, Message = "metrics served on {Addr} at {Path} (http.debug.prometheus)")]
    private static partial void LogMetrics(ILogger logger, string addr, string path);
}
