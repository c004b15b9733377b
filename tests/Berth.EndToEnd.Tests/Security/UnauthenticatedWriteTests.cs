using System.Net;
using System.Text;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// The hostile-request table's authenticated variant (tests/Berth.Tests/Http/HostileInputTests.cs has the plain one):
/// every write, without credentials or with a wrong password, is refused with 401 UNAUTHORIZED and the Basic
/// challenge before anything reaches storage: the root folder is byte for byte as it was.
/// </summary>
public sealed class UnauthenticatedWriteTests(LabRegistryFixture fixture) : IClassFixture<LabRegistryFixture>
{
    private const string Content = "content";
    private const string Upload = "0b5b8e36-7f76-4a39-a0cf-2f4b8c9e3d11";
    private static readonly string ContentDigest = OciImageLayout.DigestOf(Encoding.UTF8.GetBytes(Content));

    /// <summary>method, target, whether a wrong password is sent (otherwise no Authorization header at all).</summary>
    public static TheoryData<string, string, bool> Writes()
    {
        var data = new TheoryData<string, string, bool>();
        string[][] requests =
        [
            ["POST", "/v2/auth/app/blobs/uploads/"],
            ["POST", $"/v2/auth/app/blobs/uploads/?digest={ContentDigest}"],
            ["POST", $"/v2/auth/app/blobs/uploads/?mount={ContentDigest}&from=auth/other"],
            ["PATCH", $"/v2/auth/app/blobs/uploads/{Upload}"],
            ["PUT", $"/v2/auth/app/blobs/uploads/{Upload}?digest={ContentDigest}"],
            ["PUT", "/v2/auth/app/manifests/v1"],
            ["DELETE", "/v2/auth/app/manifests/v1"],
            ["DELETE", $"/v2/auth/app/blobs/{ContentDigest}"],
        ];
        foreach (var request in requests)
        {
            data.Add(request[0], request[1], false);
            data.Add(request[0], request[1], true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WithoutValidCredentials_401AndNothingWritten(string method, string target, bool wrongPassword)
    {
        var before = Snapshot(fixture.Root);
        using var http = wrongPassword ? fixture.Lab.Client(LabRegistryFixture.User, "not-gordon") : fixture.Lab.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(fixture.Berth.BaseUri, target.TrimStart('/')));
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(target.Contains("/manifests/", StringComparison.Ordinal) ? "{\"schemaVersion\":2}" : Content);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"Registry Realm\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("\"UNAUTHORIZED\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(fixture.Root));
    }

    /// <summary>Every file and folder under the root with its size: what a write would change.</summary>
    private static List<string> Snapshot(string root) => !Directory.Exists(root) ? [] :
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(path => File.Exists(path) ? $"{path} {new FileInfo(path).Length}" : path + "/")
            .Order(StringComparer.Ordinal)];
}
