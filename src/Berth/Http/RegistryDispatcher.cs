using Berth.Core.Errors;
using Berth.Http.Handlers;

namespace Berth.Http;

/// <summary>Routes every request under <c>/v2/</c> to its handler by the parsed path and the method.</summary>
internal sealed class RegistryDispatcher(
    RequestAuthorization authorization,
    ManifestHandler manifests,
    BlobHandler blobs,
    UploadHandler uploads,
    ListingHandler listings,
    RepositoryHandler repositories,
    ReadOnlyMode readOnly)
{
    public const string Prefix = "/v2/";

    public Task HandleAsync(HttpContext context) => HandleAsync(context, ParseRoute(context));

    /// <summary>
    /// Serves a request whose route was parsed already: the seam for decorators that need the route (metrics label
    /// requests by its kind) without parsing the path twice.
    /// </summary>
    public async Task HandleAsync(HttpContext context, V2Route route)
    {
        if (!await authorization.AuthorizeAsync(context, route))
        {
            return;
        }

        // After authorization, as in registry: a caller who may not push learns that first.
        readOnly.EnsureAllowed(context.Request.Method, route.Kind);
        await DispatchAsync(context, route, context.Request.Path.Value ?? string.Empty);
    }

    /// <exception cref="RegistryException">404 for a path that is no registry endpoint.</exception>
    public static V2Route ParseRoute(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var rest = path.Length > Prefix.Length ? path[Prefix.Length..] : string.Empty;
        return V2Route.Parse(rest)
            ?? throw new RegistryException(RegistryErrorCode.Unsupported, "no such registry endpoint", path, status: 404);
    }

    private Task DispatchAsync(HttpContext context, V2Route route, string path)
    {
        var method = context.Request.Method;
        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

        return route.Kind switch
        {
            V2RouteKind.Base when isRead => ListingHandler.BaseAsync(context),
            V2RouteKind.Catalog when isRead => listings.CatalogAsync(context),
            V2RouteKind.Tags when isRead => listings.TagsAsync(context, route),
            V2RouteKind.Referrers when HttpMethods.IsGet(method) => listings.ReferrersAsync(context, route),
            V2RouteKind.Manifest when isRead => manifests.GetAsync(context, route),
            V2RouteKind.Manifest when HttpMethods.IsPut(method) => manifests.PutAsync(context, route),
            V2RouteKind.Manifest when HttpMethods.IsDelete(method) => manifests.DeleteAsync(context, route),
            V2RouteKind.Blob when isRead => blobs.GetAsync(context, route),
            V2RouteKind.Blob when HttpMethods.IsDelete(method) => blobs.DeleteAsync(context, route),
            V2RouteKind.UploadStart when HttpMethods.IsPost(method) => uploads.StartAsync(context, route),
            V2RouteKind.Upload when HttpMethods.IsGet(method) => uploads.StatusAsync(context, route),
            V2RouteKind.Upload when HttpMethods.IsPatch(method) => uploads.PatchAsync(context, route),
            V2RouteKind.Upload when HttpMethods.IsPut(method) => uploads.PutAsync(context, route),
            V2RouteKind.Upload when HttpMethods.IsDelete(method) => uploads.CancelAsync(context, route),
            V2RouteKind.Repository when HttpMethods.IsDelete(method) => repositories.DeleteAsync(context, route),
            V2RouteKind.Repository => throw new RegistryException(RegistryErrorCode.Unsupported, "no such registry endpoint", path, status: 404),
            _ => throw new RegistryException(RegistryErrorCode.Unsupported, $"{method} is not supported here", path, status: 405),
        };
    }
}
