namespace Berth.Http;

/// <summary>Registry protocol headers.</summary>
internal static class HttpHeaderNames
{
    public const string ApiVersion = "Docker-Distribution-API-Version";
    public const string ContentDigest = "Docker-Content-Digest";
    public const string UploadUuid = "Docker-Upload-UUID";
    public const string OciSubject = "OCI-Subject";
    public const string OciFiltersApplied = "OCI-Filters-Applied";
    public const string OciTag = "OCI-Tag";
    public const string ApiVersionValue = "registry/2.0";

    /// <summary>The request's id, kept from a proxy or made by Berth, echoed on every response and logged as request_id.</summary>
    public const string RequestId = "X-Request-Id";
}
