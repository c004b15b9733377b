using Berth.Core.Errors;

namespace Berth.Http;

/// <summary>
/// <c>storage.maintenance.readonly.enabled</c>: refuses every request that would change storage, in one place ahead
/// of the handlers. registry:2 and registry:3 leave the write methods of manifests, blobs and uploads unregistered in
/// this mode, so they answer 405; Berth answers 405 too, with the OCI error envelope (code UNSUPPORTED) and a detail
/// that says why, where registry sends a bare text "Method Not Allowed".
/// </summary>
internal sealed class ReadOnlyMode(bool enabled)
{
    public const string Detail = "the registry is in read-only mode (storage.maintenance.readonly); pushes, uploads and deletes (repository deletion too) are refused";

    /// <exception cref="RegistryException">405 UNSUPPORTED: read-only, and the request would write.</exception>
    public void EnsureAllowed(string method, V2RouteKind route)
    {
        if (enabled && IsWrite(method, route))
        {
            throw new RegistryException(RegistryErrorCode.Unsupported, $"{method} is not allowed: the registry is read-only", Detail, status: 405);
        }
    }

    /// <summary>Whatever is not a read on the routes that hold content; listings have no write methods to refuse.</summary>
    private static bool IsWrite(string method, V2RouteKind route) =>
        route is V2RouteKind.Manifest or V2RouteKind.Blob or V2RouteKind.UploadStart or V2RouteKind.Upload or V2RouteKind.Repository
        && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
}
