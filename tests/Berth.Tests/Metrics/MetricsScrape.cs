using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Metrics;

/// <summary>Scrapes a berth's metrics for the process tests.</summary>
internal static class MetricsScrape
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The metrics, or none while the debug port does not answer (it opens with the registry's).</summary>
    public static async Task<PrometheusText> OnceAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken)
    {
        try
        {
            return PrometheusText.Parse(await http.GetStringAsync(metrics, cancellationToken));
        }
        catch (HttpRequestException)
        {
            return PrometheusText.Parse(string.Empty);
        }
    }

    /// <summary>
    /// The metrics once no registry request is in flight: a client has its answer before berth's bookkeeping after the
    /// handler is done (the body goes out first), so a scrape right after the last response could miss that request.
    /// </summary>
    public static async Task<PrometheusText> IdleAsync(HttpClient http, BerthProcess berth, Uri metrics, CancellationToken cancellationToken)
    {
        PrometheusText? scrape = null;
        await Readiness.WaitUntilAsync(async () =>
        {
            Assert.False(berth.HasExited, "berth exited:\n" + berth.Output);
            scrape = await OnceAsync(http, metrics, cancellationToken);
            var inFlight = scrape.Series.Where(s => s.StartsWith("registry_http_in_flight_requests{", StringComparison.Ordinal));
            return scrape.Series.Count > 0 && inFlight.All(s => scrape.Value("registry_http_in_flight_requests", ("handler", s.Split('"')[1])) == 0);
        }, Deadline, "a scrape with no request in flight", cancellationToken);
        return scrape!;
    }
}
