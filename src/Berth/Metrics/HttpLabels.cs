using Berth.Http;

namespace Berth.Metrics;

/// <summary>
/// Label values for HTTP metrics as cached strings, so recording a request allocates nothing: registry:2's route names
/// with '-' made '_' (app.go's register), and method and code as client_golang's promhttp writes them.
/// </summary>
internal static class HttpLabels
{
    private static readonly string[] Handlers = BuildHandlers();
    private static readonly string[] Codes = [.. Enumerable.Range(0, 600).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static string Handler(V2RouteKind kind) => Handlers[(int)kind];

    /// <summary>Lower case as promhttp's sanitizeMethod; anything else is "unknown", so a client cannot add series at will.</summary>
    public static string Method(string method) =>
        HttpMethods.IsGet(method) ? "get"
        : HttpMethods.IsHead(method) ? "head"
        : HttpMethods.IsPut(method) ? "put"
        : HttpMethods.IsPost(method) ? "post"
        : HttpMethods.IsPatch(method) ? "patch"
        : HttpMethods.IsDelete(method) ? "delete"
        : HttpMethods.IsOptions(method) ? "options"
        : "unknown";

    public static string Code(int status) => (uint)status < (uint)Codes.Length ? Codes[status] : "unknown";

    private static string[] BuildHandlers()
    {
        var names = new string[Enum.GetValues<V2RouteKind>().Length];
        names[(int)V2RouteKind.Base] = "base";
        names[(int)V2RouteKind.Catalog] = "catalog";
        names[(int)V2RouteKind.Tags] = "tags";
        names[(int)V2RouteKind.Manifest] = "manifest";
        names[(int)V2RouteKind.Blob] = "blob";
        names[(int)V2RouteKind.UploadStart] = "blob_upload";
        names[(int)V2RouteKind.Upload] = "blob_upload_chunk";
        names[(int)V2RouteKind.Referrers] = "referrers";
        names[(int)V2RouteKind.Repository] = "repository";
        return names;
    }
}
