using Berth.Events;

namespace Berth.Http;

/// <summary>
/// Hands the request's particulars to the notifications decorator (which must not see HTTP) for the rest of the
/// request's async flow. Installed only when notifications are configured.
/// </summary>
internal sealed class EventRequestMiddleware(RequestDelegate next, EventRequestAccessor accessor, Locations locations,
    RequestAuthorization authorization)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        accessor.Current = new EventRequest(
            context.TraceIdentifier,
            RemoteAddr(context),
            request.Host.Value ?? string.Empty,
            request.Method,
            request.Headers.UserAgent.ToString(),
            locations.For(context, string.Empty),
            () => authorization.CallerName(context));
        return next(context);
    }

    /// <summary>
    /// The client as registry names it: the first X-Forwarded-For entry, else X-Real-Ip, else the connection's peer
    /// (address and port).
    /// </summary>
    private static string RemoteAddr(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length > 0)
        {
            return forwarded.Split(',')[0].Trim();
        }

        var realIp = context.Request.Headers["X-Real-Ip"].ToString();
        if (realIp.Length > 0)
        {
            return realIp;
        }

        var connection = context.Connection;
        return connection.RemoteIpAddress is { } address ? $"{address}:{connection.RemotePort}" : string.Empty;
    }
}
