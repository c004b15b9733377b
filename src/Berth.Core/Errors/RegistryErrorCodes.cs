namespace Berth.Core.Errors;

/// <summary>Wire names and default HTTP statuses of <see cref="RegistryErrorCode"/>.</summary>
public static class RegistryErrorCodes
{
    public static string WireName(this RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown => "BLOB_UNKNOWN",
        RegistryErrorCode.BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
        RegistryErrorCode.BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
        RegistryErrorCode.DigestInvalid => "DIGEST_INVALID",
        RegistryErrorCode.ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
        RegistryErrorCode.ManifestInvalid => "MANIFEST_INVALID",
        RegistryErrorCode.ManifestUnknown => "MANIFEST_UNKNOWN",
        RegistryErrorCode.NameInvalid => "NAME_INVALID",
        RegistryErrorCode.NameUnknown => "NAME_UNKNOWN",
        RegistryErrorCode.SizeInvalid => "SIZE_INVALID",
        RegistryErrorCode.Unauthorized => "UNAUTHORIZED",
        RegistryErrorCode.Denied => "DENIED",
        RegistryErrorCode.Unsupported => "UNSUPPORTED",
        RegistryErrorCode.TooManyRequests => "TOOMANYREQUESTS",
        RegistryErrorCode.RangeInvalid => "RANGE_INVALID",
        RegistryErrorCode.TagInvalid => "TAG_INVALID",
        RegistryErrorCode.PaginationNumberInvalid => "PAGINATION_NUMBER_INVALID",
        RegistryErrorCode.Unavailable => "UNAVAILABLE",
        _ => "UNKNOWN",
    };

    /// <summary>The status a code is answered with unless the thrower says otherwise.</summary>
    public static int DefaultStatus(this RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown => 404,
        RegistryErrorCode.BlobUploadUnknown => 404,
        RegistryErrorCode.ManifestUnknown => 404,
        RegistryErrorCode.NameUnknown => 404,
        RegistryErrorCode.Unauthorized => 401,
        RegistryErrorCode.Denied => 403,
        RegistryErrorCode.Unsupported => 405,
        RegistryErrorCode.TooManyRequests => 429,
        RegistryErrorCode.RangeInvalid => 416,
        RegistryErrorCode.Unavailable => 503,
        RegistryErrorCode.Unknown => 500,
        _ => 400,
    };
}
