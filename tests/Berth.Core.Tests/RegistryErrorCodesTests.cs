using Berth.Core.Errors;

namespace Berth.Core.Tests;

public sealed class RegistryErrorCodesTests
{
    public static TheoryData<RegistryErrorCode> AllCodes => new(Enum.GetValues<RegistryErrorCode>());

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void WireName_EveryCode_IsNamed(RegistryErrorCode code)
    {
        var name = code.WireName();

        Assert.Equal(code == RegistryErrorCode.Unknown, name == "UNKNOWN");
        Assert.Matches("^[A-Z_]+$", name);
    }

    [Fact]
    public void WireName_AllCodes_AreDistinct()
    {
        var names = Enum.GetValues<RegistryErrorCode>().Select(c => c.WireName()).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData(RegistryErrorCode.BlobUnknown, "BLOB_UNKNOWN", 404)]
    [InlineData(RegistryErrorCode.BlobUploadInvalid, "BLOB_UPLOAD_INVALID", 400)]
    [InlineData(RegistryErrorCode.BlobUploadUnknown, "BLOB_UPLOAD_UNKNOWN", 404)]
    [InlineData(RegistryErrorCode.DigestInvalid, "DIGEST_INVALID", 400)]
    [InlineData(RegistryErrorCode.ManifestBlobUnknown, "MANIFEST_BLOB_UNKNOWN", 400)]
    [InlineData(RegistryErrorCode.ManifestInvalid, "MANIFEST_INVALID", 400)]
    [InlineData(RegistryErrorCode.ManifestUnknown, "MANIFEST_UNKNOWN", 404)]
    [InlineData(RegistryErrorCode.NameInvalid, "NAME_INVALID", 400)]
    [InlineData(RegistryErrorCode.NameUnknown, "NAME_UNKNOWN", 404)]
    [InlineData(RegistryErrorCode.SizeInvalid, "SIZE_INVALID", 400)]
    [InlineData(RegistryErrorCode.Unauthorized, "UNAUTHORIZED", 401)]
    [InlineData(RegistryErrorCode.Denied, "DENIED", 403)]
    [InlineData(RegistryErrorCode.Unsupported, "UNSUPPORTED", 405)]
    [InlineData(RegistryErrorCode.TooManyRequests, "TOOMANYREQUESTS", 429)]
    [InlineData(RegistryErrorCode.RangeInvalid, "RANGE_INVALID", 416)]
    [InlineData(RegistryErrorCode.TagInvalid, "TAG_INVALID", 400)]
    [InlineData(RegistryErrorCode.PaginationNumberInvalid, "PAGINATION_NUMBER_INVALID", 400)]
    [InlineData(RegistryErrorCode.Unavailable, "UNAVAILABLE", 503)]
    [InlineData(RegistryErrorCode.Unknown, "UNKNOWN", 500)]
    public void WireNameAndDefaultStatus_Code_MatchSpec(RegistryErrorCode code, string wireName, int status)
    {
        Assert.Equal(wireName, code.WireName());
        Assert.Equal(status, code.DefaultStatus());
    }

    [Fact]
    public void RegistryException_ExplicitStatus_OverridesDefault()
    {
        var e = new RegistryException(RegistryErrorCode.ManifestInvalid, "too big", "4 MiB", status: 413);

        Assert.Equal(413, e.Status);
        Assert.Equal("too big", e.Message);
        Assert.Equal("4 MiB", e.Detail);
    }

    [Fact]
    public void RegistryException_WithoutStatus_UsesDefault()
    {
        Assert.Equal(404, new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown").Status);
        Assert.Equal(500, new RegistryException("boom", new InvalidOperationException()).Status);
    }
}
