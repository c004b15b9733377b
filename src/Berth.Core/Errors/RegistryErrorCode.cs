namespace Berth.Core.Errors;

/// <summary>The error codes of the OCI distribution spec, plus the few Distribution adds that clients know.</summary>
public enum RegistryErrorCode
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    RangeInvalid,
    TagInvalid,
    PaginationNumberInvalid,

    /// <summary>registry:2's UNAVAILABLE (503): a health check is failing, so the registry is out of rotation.</summary>
    Unavailable,
    Unknown,
}
