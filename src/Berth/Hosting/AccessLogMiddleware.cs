using System.Diagnostics;
using System.Net;

namespace Berth.Hosting;

/// <summary>One line per request (method, path, status, time), unless <c>log.accesslog.disabled</c>.</summary>
internal sealed partial class AccessLogMiddleware(RequestDelegate next, ILogger<AccessLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogRequest(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed.TotalMilliseconds,
                context.Connection.RemoteIpAddress);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {DurationMs:0.0}ms from {Remote}")]
    private static partial void LogRequest(ILogger logger, string method, PathString path, int status, double durationMs, IPAddress? remote);
}
