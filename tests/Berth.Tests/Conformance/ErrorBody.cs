using System.Text.Json;

namespace Berth.Tests.Conformance;

/// <summary>The OCI error envelope <c>{"errors":[{"code","message","detail"}]}</c>, read like reggie's Errors().</summary>
internal static class ErrorBody
{
    /// <summary>
    /// The suite's errorCodes slice. Its constants start at iota 5 (after the workflow bits), so the slice also
    /// holds five empty strings; ContainElement therefore accepts an empty code too, and so does this port.
    /// </summary>
    public static IReadOnlyList<string> KnownCodes { get; } =
    [
        "", "BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN",
        "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "MANIFEST_UNVERIFIED", "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID",
        "TAG_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED",
    ];

    /// <summary>The codes in order; a body that is not the envelope fails the spec, as Expect(err).To(BeNil()) does.</summary>
    public static IReadOnlyList<string> Codes(OciResponse response)
    {
        using var document = JsonDocument.Parse(response.Body);
        var errors = document.RootElement.GetProperty("errors");
        return [.. errors.EnumerateArray().Select(e => e.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "")];
    }
}
