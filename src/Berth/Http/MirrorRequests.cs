using Berth.Core.Errors;
using Berth.Proxy.Mirror;
using Berth.Proxy.Routing;

namespace Berth.Http;

/// <summary>
/// What the pull-through cache needs of each request, before the registry sees it: containerd's <c>?ns=&lt;host&gt;</c>
/// (what a <c>hosts.toml</c> mirror sends) turns the repository name into the local one the cache keeps it under, before
/// authorization, so access rules name local repositories; and an answer the cache served stale, because its upstream
/// could not be asked, says so in a <c>Warning: 110</c> header and the log.
/// </summary>
internal sealed partial class MirrorRequests(RequestDelegate next, UpstreamRouter router, ILogger<MirrorRequests> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Query["ns"] is { Count: > 0 } ns && !string.IsNullOrEmpty(ns[0]))
        {
            Rewrite(context.Request, ns[0]!);
        }

        var notice = MirrorNotice.Begin();
        context.Response.OnStarting(() =>
        {
            if (notice.StaleBecause is { } reason)
            {
                context.Response.Headers.Warning = $"110 berth \"Response is Stale: {reason.Replace('"', '\'')}\"";
            }

            return Task.CompletedTask;
        });
        await next(context);
        if (notice.StaleBecause is { } stale)
        {
            LogServedStale(logger, context.Request.Method, context.Request.Path, stale);
        }
    }

    private void Rewrite(HttpRequest request, string ns)
    {
        var path = request.Path.Value ?? "";
        if (!path.StartsWith(RegistryDispatcher.Prefix, StringComparison.Ordinal)
            || V2Route.Parse(path[RegistryDispatcher.Prefix.Length..]) is not { Name.Value: { } name } route)
        {
            return;
        }

        var local = router.LocalName(route.Name, ns)
            ?? throw new RegistryException(RegistryErrorCode.NameInvalid, "invalid repository name", $"{name} of {ns} is too long a name here");
        request.Path = RegistryDispatcher.Prefix + local.Value + path[(RegistryDispatcher.Prefix.Length + name.Length)..];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "proxy: {Method} {Path} served from the cache without the upstream's word: {Reason}")]
    private static partial void LogServedStale(ILogger logger, string method, PathString path, string reason);
}
