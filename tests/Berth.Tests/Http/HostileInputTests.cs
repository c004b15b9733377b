using System.Text;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// Requests built to escape the storage root, smuggle separators or overflow limits. Each must get its 4xx (never
/// a 5xx; a few harmless ones a 200), the OCI envelope where the registry itself answers, and leave storage exactly
/// as it was: no file added, removed or resized under the root, and nothing beside it.
/// </summary>
public sealed class HostileInputTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private const string Repo = HostileFixture.Repository;
    private const string Zeros = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// method, target (placeholders: {upload}, {UPLOAD}, {blob}), body ("" none, "index" a valid manifest, else
    /// the text), expected status, expected envelope code (null where Kestrel answers before the registry).
    /// </summary>
    public static TheoryData<string, string, string, int, string?> Requests => new()
    {
        // Names: a dot segment, plain or escaped, is refused before Kestrel's resolution could move the request to
        // another name or out of /v2/; escaped separators stay in the name and make it invalid.
        { "GET", "/v2/../../etc/manifests/x", "", 400, "NAME_INVALID" },
        { "PUT", "/v2/../../etc/manifests/x", "index", 400, "NAME_INVALID" },
        { "PUT", "/v2/%2e%2e/%2e%2e/etc/manifests/x", "index", 400, "NAME_INVALID" },
        { "POST", "/v2/%2e%2e/x/blobs/uploads/", "", 400, "NAME_INVALID" },
        { "PUT", $"/v2/{Repo}/../../../../tmp/manifests/x", "index", 400, "NAME_INVALID" },
        { "GET", "/v2/a/../b/manifests/x", "", 400, "NAME_INVALID" },
        { "GET", "/v2/a/./b/manifests/x", "", 400, "NAME_INVALID" },
        { "GET", "/v2/a/%2E/b/manifests/x", "", 400, "NAME_INVALID" },
        { "DELETE", "/v2/a/.%2e/b/manifests/x", "", 400, "NAME_INVALID" },
        { "GET", $"/v2/{Repo}/blobs/..", "", 400, "NAME_INVALID" },
        // Dots inside a segment are no dot segment: a tag with two dots is just not there.
        { "GET", $"/v2/{Repo}/manifests/v1..2", "", 404, "MANIFEST_UNKNOWN" },
        { "PUT", "/v2/a%2F..%2F..%2Fb/manifests/x", "index", 400, "NAME_INVALID" },
        { "PUT", "/v2/..%2F..%2Fetc/manifests/x", "index", 400, "NAME_INVALID" },
        { "PUT", "/v2//etc/passwd/manifests/x", "index", 400, "NAME_INVALID" },
        { "PUT", "/v2/seed\\..\\..\\x/manifests/x", "index", 400, "NAME_INVALID" },
        { "PUT", $"/v2/{new string('a', 256)}/manifests/x", "index", 400, "NAME_INVALID" },
        { "POST", $"/v2/{new string('a', 256)}/blobs/uploads/", "", 400, "NAME_INVALID" },
        { "PUT", "/v2/UPPER/manifests/x", "index", 400, "NAME_INVALID" },
        // Tags.
        { "PUT", $"/v2/{Repo}/manifests/..%2F..%2Fx", "index", 400, "TAG_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/a%2Fb", "index", 400, "TAG_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/.hidden", "index", 400, "TAG_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/..", "index", 400, "NAME_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/%2e%2e", "index", 400, "NAME_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/v1%00", "index", 400, null }, // Kestrel refuses a NUL in the path itself
        { "PUT", $"/v2/{Repo}/manifests/{new string('t', 129)}", "index", 400, "TAG_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/v1?tag=..%2Fx", "index", 400, "TAG_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/v1?tag=..", "index", 400, "TAG_INVALID" },
        // Digests.
        { "GET", $"/v2/{Repo}/blobs/sha256:..%2F..%2F..%2Fx", "", 400, "DIGEST_INVALID" },
        { "GET", $"/v2/{Repo}/blobs/sha256:{Zeros.ToUpperInvariant().Replace('0', 'A')}", "", 400, "DIGEST_INVALID" },
        { "GET", $"/v2/{Repo}/blobs/sha256:{Zeros[..63]}", "", 400, "DIGEST_INVALID" },
        { "GET", $"/v2/{Repo}/blobs/sha384:{Zeros}{Zeros[..32]}", "", 400, "DIGEST_INVALID" },
        { "DELETE", $"/v2/{Repo}/blobs/sha256:..%2F..%2Fx", "", 400, "DIGEST_INVALID" },
        { "DELETE", $"/v2/{Repo}/manifests/sha256:..%2F..%2Fx", "", 400, "DIGEST_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/sha256:..%2F..%2Fx", "index", 400, "DIGEST_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/sha256:{Zeros}", "index", 400, "DIGEST_INVALID" },
        { "GET", $"/v2/{Repo}/referrers/sha256:..%2Fx", "", 400, "DIGEST_INVALID" },
        { "POST", $"/v2/{Repo}/blobs/uploads/?digest=sha256:..%2F..%2Fx", "content", 400, "DIGEST_INVALID" },
        { "POST", $"/v2/{Repo}/blobs/uploads/?digest=sha384:{Zeros}{Zeros[..32]}", "content", 400, "DIGEST_INVALID" },
        { "POST", $"/v2/{Repo}/blobs/uploads/?digest=sha256:{Zeros}", "content", 400, "DIGEST_INVALID" },
        // Upload ids.
        { "PATCH", $"/v2/{Repo}/blobs/uploads/..%2F..%2F_layers", "content", 404, "BLOB_UPLOAD_UNKNOWN" },
        { "PUT", $"/v2/{Repo}/blobs/uploads/..%2F{{upload}}?digest=sha256:{Zeros}", "", 404, "BLOB_UPLOAD_UNKNOWN" },
        { "DELETE", $"/v2/{Repo}/blobs/uploads/{{UPLOAD}}", "", 404, "BLOB_UPLOAD_UNKNOWN" },
        { "PATCH", $"/v2/{Repo}/blobs/uploads/{{UPLOAD}}", "content", 404, "BLOB_UPLOAD_UNKNOWN" },
        { "DELETE", $"/v2/other/repo/blobs/uploads/{{upload}}", "", 404, "BLOB_UPLOAD_UNKNOWN" },
        { "PATCH", $"/v2/other/repo/blobs/uploads/{{upload}}", "content", 404, "BLOB_UPLOAD_UNKNOWN" },
        // Malformed and oversized manifests.
        { "PUT", $"/v2/{Repo}/manifests/bad", "\0\0\0", 400, "MANIFEST_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/bad", "null", 400, "MANIFEST_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/bad", "{\"schemaVersion\":2,\"mediaType\":\"text/html\"}", 400, "MANIFEST_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/bad", "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\"sha256:../x\",\"size\":1}]}", 400, "MANIFEST_INVALID" },
        { "PUT", $"/v2/{Repo}/manifests/bad", "oversized", 413, "SIZE_INVALID" },
        // Ranges on the seeded upload.
        { "PATCH", $"/v2/{Repo}/blobs/uploads/{{upload}}", "range:0-2", 416, "RANGE_INVALID" },
        { "PATCH", $"/v2/{Repo}/blobs/uploads/{{upload}}", "range:5-99999999999999999999", 416, "RANGE_INVALID" },
        { "PATCH", $"/v2/{Repo}/blobs/uploads/{{upload}}", "range:bytes */*", 416, "RANGE_INVALID" },
        { "PATCH", $"/v2/{Repo}/blobs/uploads/{{upload}}", "range:5-4", 416, "RANGE_INVALID" },
        { "PUT", $"/v2/{Repo}/blobs/uploads/{{upload}}?digest=sha256:{Zeros}", "range:0-6", 416, "RANGE_INVALID" },
        // Listings.
        { "GET", $"/v2/{Repo}/tags/list?n=-1", "", 400, "PAGINATION_NUMBER_INVALID" },
        { "GET", $"/v2/{Repo}/tags/list?n=2147483648", "", 400, "PAGINATION_NUMBER_INVALID" },
        { "GET", "/v2/_catalog?n=-5", "", 400, "PAGINATION_NUMBER_INVALID" },
        { "GET", "/v2/_catalog?n=%00", "", 400, "PAGINATION_NUMBER_INVALID" },
        { "GET", "/v2/../x/tags/list", "", 400, "NAME_INVALID" },
        // A 'last' is only compared, never used as a path: a harmless 200.
        { "GET", $"/v2/{Repo}/tags/list?last=..%2F..%2F..%2Fetc", "", 200, null },
        { "GET", "/v2/_catalog?last=..%2F..%2F..%2Fetc&n=1", "", 200, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Send_HostileRequest_RefusedOrHarmlessAndNothingWritten(string method, string target, string body, int status, string? code)
    {
        target = target.Replace("{upload}", fixture.UploadId, StringComparison.Ordinal)
            .Replace("{UPLOAD}", fixture.UploadId.ToUpperInvariant(), StringComparison.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        var content = BodyFor(body, headers);
        var before = fixture.Snapshot();

        var response = await RawHttp.SendAsync(fixture.Berth.Port, method, target, content, headers);

        Assert.True(status == response.Status, $"expected {status} {code}, got {response.Status}: {response.Body}");
        if (code is not null)
        {
            Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
            ResponseAssert.AssertEnvelope(response.Body, code);
        }

        fixture.AssertNothingWritten(before);
    }

    [Theory]
    [InlineData("bytes=99999999999999999999999-")]
    [InlineData("bytes=-99999999999999999999999")]
    [InlineData("bytes=0-0,0-0,0-0,0-0")]
    [InlineData("bytes=\u00e9-")]
    public async Task Get_HostileRange_RangeNotSatisfiable(string range)
    {
        var before = fixture.Snapshot();
        var configDigest = await SeededBlobDigestAsync();

        var response = await RawHttp.SendAsync(fixture.Berth.Port, "GET", $"/v2/{Repo}/blobs/{configDigest}", headers: [new("Range", range)]);

        Assert.Equal(416, response.Status);
        ResponseAssert.AssertEnvelope(response.Body, "RANGE_INVALID");
        fixture.AssertNothingWritten(before);
    }

    /// <summary>A blob the seed image links (its config), read from the seeded manifest.</summary>
    private async Task<string> SeededBlobDigestAsync()
    {
        var manifest = await fixture.Http.GetStringAsync($"v2/{Repo}/manifests/v1", TestContext.Current.CancellationToken);
        using var json = System.Text.Json.JsonDocument.Parse(manifest);
        return json.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
    }

    private static byte[]? BodyFor(string body, List<KeyValuePair<string, string>> headers)
    {
        switch (body)
        {
            case "":
                return null;
            case "index":
                headers.Add(new("Content-Type", TestManifests.OciIndex));
                return TestManifests.Index([]).Bytes;
            case "oversized":
                headers.Add(new("Content-Type", TestManifests.OciIndex));
                return new byte[(4 * 1024 * 1024) + 1];
            case "content":
                return Encoding.ASCII.GetBytes("some bytes");
            case var range when range.StartsWith("range:", StringComparison.Ordinal):
                headers.Add(new("Content-Range", range["range:".Length..]));
                return [1, 2, 3];
            default:
                headers.Add(new("Content-Type", TestManifests.OciManifest));
                return Encoding.UTF8.GetBytes(body);
        }
    }
}
