using Berth.Auth;
using Berth.Core;

namespace Berth.Http;

/// <summary>
/// What each registry request needs, in Docker token scope terms. Writes need pull as well as push, as docker asks
/// for <c>pull,push</c>: a client that pushes also checks what is there. A mount also reads the source repository.
/// </summary>
internal static class RequiredAccess
{
    public static IReadOnlyList<AccessScope> For(V2Route route, string method, IQueryCollection query)
    {
        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        return route.Kind switch
        {
            V2RouteKind.Base => [],
            V2RouteKind.Catalog => [AccessScope.Catalog],
            V2RouteKind.Tags or V2RouteKind.Referrers => [Pull(route.Name)],
            V2RouteKind.Manifest or V2RouteKind.Blob when isRead => [Pull(route.Name)],
            V2RouteKind.Manifest or V2RouteKind.Blob or V2RouteKind.Repository when HttpMethods.IsDelete(method) => [Scope(route.Name, RegistryAction.Delete)],
            // Any other method there is no endpoint (404 after authentication, as for /v2/).
            V2RouteKind.Repository => [],
            V2RouteKind.UploadStart => [.. Write(route.Name), .. MountSource(query)],
            _ => Write(route.Name),
        };
    }

    private static AccessScope Pull(RepositoryName name) => Scope(name, RegistryAction.Pull);

    private static AccessScope Scope(RepositoryName name, RegistryAction action) => AccessScope.Repository(name, action);

    private static AccessScope[] Write(RepositoryName name) => [Pull(name), Scope(name, RegistryAction.Push)];

    /// <summary>Mounting copies a blob out of <c>from</c>, so the caller must be able to pull it there.</summary>
    private static AccessScope[] MountSource(IQueryCollection query) =>
        query.ContainsKey("mount") && RepositoryName.TryParse(query["from"].ToString(), out var source) ? [Pull(source)] : [];
}
