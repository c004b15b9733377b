using System.Diagnostics;
using Berth.Core.Errors;
using Berth.Http;

namespace Berth.Metrics;

/// <summary>
/// Wraps <see cref="RegistryDispatcher"/> with registry:2's HTTP metrics, labelled by route kind (registry's route name)
/// as registry instruments each route's handler. Paths that are no registry endpoint are not counted, as in registry:2,
/// where they match no instrumented route. Per request: two in-flight adds, one counter add, three histogram records,
/// each a lookup of cached label strings in a TagList on the stack; nothing is allocated for labels. A manifest or blob
/// pull adds a lookup and an add to its repository's bytes; a push counts its body as it is read
/// (<see cref="RepositoryTransfer"/>).
/// </summary>
internal sealed class MeteredDispatch(RegistryDispatcher dispatcher, BerthMetrics metrics)
{
    public async Task HandleAsync(HttpContext context)
    {
        var route = RegistryDispatcher.ParseRoute(context);
        var handler = HttpLabels.Handler(route.Kind);
        metrics.RequestStarted(handler);
        var transfer = RepositoryTransfer.Begin(context, route, metrics);
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        var completed = false;
        try
        {
            await dispatcher.HandleAsync(context, route);
            status = context.Response.StatusCode;
            completed = true;
        }
        catch (Exception e)
        {
            // The error middleware outside writes the answer after this returns; its status is known from the exception.
            status = e switch
            {
                _ when context.Response.HasStarted => context.Response.StatusCode,
                RegistryException registry => registry.Status,
                BadHttpRequestException bad => bad.StatusCode,
                _ => StatusCodes.Status500InternalServerError,
            };
            throw;
        }
        finally
        {
            transfer.End(context, status, completed, metrics);
            var request = context.Request;
            metrics.RequestEnded(handler, HttpLabels.Method(request.Method), status, Stopwatch.GetElapsedTime(started).TotalSeconds,
                request.ContentLength ?? 0, ResponseBytes(request, context.Response, status));
        }
    }

    /// <summary>
    /// The declared body length, as the access log counts it: Berth sets Content-Length on all but a few streamed
    /// listings (counted 0), and counting written bytes would wrap the body and lose sendfile for blobs.
    /// </summary>
    private static long ResponseBytes(HttpRequest request, HttpResponse response, int status) =>
        HttpMethods.IsHead(request.Method) || status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified
            ? 0
            : response.ContentLength ?? 0;
}
