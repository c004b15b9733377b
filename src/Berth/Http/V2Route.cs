using Berth.Core;

namespace Berth.Http;

public enum V2RouteKind
{
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    Upload,
    Referrers,

    /// <summary><c>/v2/&lt;name&gt;/</c>: Berth's whole-repository DELETE (no OCI endpoint lives there).</summary>
    Repository,
}

/// <summary>
/// A request path under <c>/v2/</c>, parsed from the right because repository names contain slashes
/// (<c>/v2/labs/nginx/manifests/latest</c>). The name is validated here, once; the last segment (reference,
/// digest or upload id) is left to the handler, which knows what it must be.
/// </summary>
public sealed record V2Route(V2RouteKind Kind, RepositoryName Name, string Argument)
{
    /// <param name="rest">The path after <c>/v2/</c>, without query.</param>
    /// <returns>The route, or null for a path that is no registry endpoint.</returns>
    public static V2Route? Parse(string rest)
    {
        switch (rest)
        {
            case "":
                return new V2Route(V2RouteKind.Base, default, string.Empty);
            case "_catalog":
                return new V2Route(V2RouteKind.Catalog, default, string.Empty);
        }

        var segments = rest.Split('/');
        var n = segments.Length;
        if (n >= 3 && segments[n - 2] == "tags" && segments[n - 1] == "list")
        {
            return Named(V2RouteKind.Tags, segments, n - 2, string.Empty);
        }

        if (n >= 4 && segments[n - 3] == "blobs" && segments[n - 2] == "uploads")
        {
            var kind = segments[n - 1].Length == 0 ? V2RouteKind.UploadStart : V2RouteKind.Upload;
            return Named(kind, segments, n - 3, segments[n - 1]);
        }

        if (n >= 3 && segments[n - 2] == "blobs" && segments[n - 1] == "uploads")
        {
            return Named(V2RouteKind.UploadStart, segments, n - 2, string.Empty);
        }

        if (n >= 3)
        {
            var kind = segments[n - 2] switch
            {
                "manifests" => V2RouteKind.Manifest,
                "blobs" => V2RouteKind.Blob,
                "referrers" => V2RouteKind.Referrers,
                _ => (V2RouteKind?)null,
            };
            if (kind is not null && segments[n - 1].Length > 0)
            {
                return Named(kind.Value, segments, n - 2, segments[n - 1]);
            }
        }

        if (n >= 2 && segments[n - 1].Length == 0)
        {
            return Named(V2RouteKind.Repository, segments, n - 1, string.Empty);
        }

        return null;
    }

    private static V2Route Named(V2RouteKind kind, string[] segments, int nameSegments, string argument) =>
        new(kind, RepositoryName.Parse(string.Join('/', segments, 0, nameSegments)), argument);
}
