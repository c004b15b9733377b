using System.Text.Json;
using Berth.Configuration;
using Berth.Http;
using Berth.Metrics;

namespace Berth.Health;

/// <summary>
/// What the debug port (<c>http.debug.addr</c>) answers: registry:2's <c>/debug/health</c>, and <c>/livez</c> and
/// <c>/readyz</c> for Kubernetes probes. Requests reach it by the port they arrived on; nothing here runs on the
/// registry port.
/// </summary>
internal static class DebugEndpoints
{
    /// <param name="metrics">The collector when <c>http.debug.prometheus.enabled</c>; null leaves the path unserved.</param>
    public static void Map(IApplicationBuilder debug, HealthMonitor monitor, DebugSettings settings, PrometheusCollector? metrics)
    {
        debug.Run(context =>
        {
            var response = context.Response;
            response.Headers.CacheControl = "no-cache";
            var path = context.Request.Path.Value;
            var method = context.Request.Method;
            var readable = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
            return path switch
            {
                // registry:2 answers GET only here, 404 otherwise.
                "/debug/health" when HttpMethods.IsGet(method) => HealthAsync(context, monitor),
                "/livez" when readable => TextAsync(context, StatusCodes.Status200OK, "ok"),
                "/readyz" when readable => monitor.IsReady
                    ? TextAsync(context, StatusCodes.Status200OK, "ok")
                    : TextAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready"),
                _ when metrics is not null && readable && path == settings.PrometheusPath => MetricsEndpoint.WriteAsync(context, metrics),
                _ => TextAsync(context, StatusCodes.Status404NotFound, "404 page not found"),
            };
        });
    }

    /// <summary>registry:2's shape: <c>{}</c> and 200 when every check passes, else 503 and each failing check's error by name.</summary>
    private static async Task HealthAsync(HttpContext context, HealthMonitor monitor)
    {
        var failures = monitor.Failures();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(failures, BerthJsonContext.Wire.SortedDictionaryStringString);
        context.Response.StatusCode = failures.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static async Task TextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var bytes = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }
}
