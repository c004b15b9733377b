using Berth.Core.Errors;
using Berth.Http;

namespace Berth.Tracing;

/// <summary>
/// The route of a request as the distribution specification names its endpoints (<c>/v2/{name}/manifests/{reference}</c>),
/// never the raw path: span names stay few however many repositories and digests there are.
/// </summary>
internal static class RequestSpanNames
{
    /// <returns>The route and, for a route under a repository, its name; a null route for a path that is no endpoint.</returns>
    public static (string? Route, string? Repository) Describe(string path, string prefix)
    {
        if (prefix.Length > 0)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (null, null);
            }

            path = path[prefix.Length..];
        }

        if (path == "/")
        {
            return ("/", null);
        }

        if (path == "/v2")
        {
            return ("/v2/", null);
        }

        if (!path.StartsWith(RegistryDispatcher.Prefix, StringComparison.Ordinal))
        {
            return (null, null);
        }

        V2Route? route;
        try
        {
            route = V2Route.Parse(path[RegistryDispatcher.Prefix.Length..]);
        }
        catch (RegistryException)
        {
            // An invalid repository name: the request is answered 400, and its span is named by the method alone.
            return (null, null);
        }

        return route is null ? (null, null) : (Template(route.Kind), route.Kind is V2RouteKind.Base or V2RouteKind.Catalog ? null : route.Name.ToString());
    }

    private static string Template(V2RouteKind kind) => kind switch
    {
        V2RouteKind.Base => "/v2/",
        V2RouteKind.Catalog => "/v2/_catalog",
        V2RouteKind.Tags => "/v2/{name}/tags/list",
        V2RouteKind.Manifest => "/v2/{name}/manifests/{reference}",
        V2RouteKind.Blob => "/v2/{name}/blobs/{digest}",
        V2RouteKind.UploadStart => "/v2/{name}/blobs/uploads/",
        V2RouteKind.Upload => "/v2/{name}/blobs/uploads/{uuid}",
        V2RouteKind.Referrers => "/v2/{name}/referrers/{digest}",
        V2RouteKind.Repository => "/v2/{name}/",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
