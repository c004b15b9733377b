using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Tracing;

/// <summary>
/// Names and describes the server span ASP.NET Core's hosting starts for each request (it has already taken the parent
/// from an incoming <c>traceparent</c>): the route, the repository, the status code. Registered outermost, and only when
/// tracing is on, so it sees the final status of every answer, errors included.
/// </summary>
internal sealed class RequestTracingMiddleware(RequestDelegate next, string prefix)
{
    /// <summary>The repository the request is about, in the style of the <c>berth.storage.*</c> attributes.</summary>
    public const string RepositoryAttribute = "berth.repository";

    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is not { IsAllDataRequested: true })
        {
            await next(context);
            return;
        }

        Describe(activity, context.Request);
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing inside should let an exception out (RegistryErrorMiddleware answers it); if one does, Kestrel answers 500.
            activity.SetTag("error.type", e.GetType().FullName);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            Finish(activity, context.Response.StatusCode);
        }
    }

    private void Describe(Activity activity, HttpRequest request)
    {
        var (route, repository) = RequestSpanNames.Describe(request.Path.Value ?? string.Empty, prefix);
        activity.DisplayName = route is null ? request.Method : $"{request.Method} {route}";
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        if (route is not null)
        {
            activity.SetTag("http.route", route);
        }

        if (repository is not null)
        {
            activity.SetTag(RepositoryAttribute, repository);
        }
    }

    /// <summary>A server span fails on 5xx only: a 4xx is the client's mistake, answered as it should be.</summary>
    private static void Finish(Activity activity, int status)
    {
        activity.SetTag("http.response.status_code", status);
        if (status >= StatusCodes.Status500InternalServerError)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", activity.GetTagItem("error.type") ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
