using System.Reflection;
using System.Text;

namespace Berth.Metrics;

/// <summary>
/// The seam between metrics and what serves them: <see cref="Create"/> makes the instruments and their collector
/// (once, before the first request) and <see cref="WriteAsync"/> answers a scrape; the debug port
/// (<see cref="Health.DebugEndpoints"/>) calls it for <c>http.debug.prometheus.path</c>.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>The Prometheus text format, as client_golang's handler answers a scraper that asks for nothing else.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The running version, as <c>berth_build_info</c> labels it.</summary>
    public static string Version =>
        typeof(MetricsEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Instruments and collector when <c>http.debug.prometheus.enabled</c> on a debug port; otherwise nothing at all, so
    /// with metrics off no instrument exists and no decorator is registered.
    /// </summary>
    public static (BerthMetrics Metrics, PrometheusCollector Collector)? Create(Configuration.DebugSettings? debug)
    {
        if (debug is not { PrometheusEnabled: true })
        {
            return null;
        }

        var metrics = new BerthMetrics(Version, debug.PrometheusRepositories);
        // Listening starts now, before storage or HTTP record anything.
        return (metrics, new PrometheusCollector(metrics.Meter));
    }

    /// <summary>Answers GET or HEAD with the current exposition; a scrape is rare, so it is built whole in memory.</summary>
    public static async Task WriteAsync(HttpContext context, PrometheusCollector collector)
    {
        await collector.RefreshAsync(context.RequestAborted);
        var body = Encoding.UTF8.GetBytes(collector.Scrape());
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
