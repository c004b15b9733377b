using System.Diagnostics;
using System.Net;
using Berth.Http;
using Berth.Logging;

namespace Berth.Hosting;

/// <summary>
/// The outermost middleware: gives every request its id (<see cref="RequestId"/>), echoed in <c>X-Request-Id</c> and
/// put on every entry logged while the request is served, and writes the access line when it ends, unless
/// <c>log.accesslog.disabled</c>. The manifest GET it wraps is benchmarked: with the access log off it times nothing
/// and formats nothing (nor at <c>log.level: warn</c> and above), and the line's values are formatted only by the log
/// formatter.
/// </summary>
internal sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger,
    RequestAuthorization authorization, bool accessLog)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var id = RequestId.For(context.Request.Headers[HttpHeaderNames.RequestId]);
        context.TraceIdentifier = id;
        // Set before the handler runs: a response that has started cannot take headers, and 304s and errors need it too.
        context.Response.Headers[HttpHeaderNames.RequestId] = id;
        using var scope = logger.BeginScope(new RequestLogScope(id));
        if (!accessLog)
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            WriteAccessLine(context, started);
        }
    }

    private void WriteAccessLine(HttpContext context, long started)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var request = context.Request;
        var path = request.PathBase.Add(request.Path);
        var bytes = BytesSent(request, context.Response);
        var duration = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var user = authorization.CallerName(context) ?? "-";
        LogRequest(logger, request.Method, path, context.Response.StatusCode, bytes, duration, user, context.Connection.RemoteIpAddress);
    }

    /// <summary>
    /// The declared body length: Berth sets Content-Length on everything but a few streamed listings, so this costs
    /// nothing per request where counting written bytes would wrap the body (and lose sendfile for blobs).
    /// </summary>
    private static ByteCount BytesSent(HttpRequest request, HttpResponse response) =>
        HttpMethods.IsHead(request.Method) || response.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified
            ? new ByteCount(0)
            : new ByteCount(response.ContentLength);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Bytes} {DurationMs:0.0}ms user={User} remote={Remote}")]
    private static partial void LogRequest(ILogger logger, string method, PathString path, int status, ByteCount bytes, double durationMs,
        string user, IPAddress? remote);
}
