using System.Net;
using Berth.TestKit;
using Berth.Tests.Tls;
using Xunit;

namespace Berth.Tests.Http;

/// <summary><c>auth.token.autoredirect</c> on a real berth process: the 401's realm comes from the request, not the file.</summary>
public sealed class TokenAutoRedirectProcessTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-autoredirect");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Ping_AutoRedirectOn_401WithRealmFromTheRequestHostAndPath()
    {
        using var signer = TestCertificates.Authority("token signer");
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_AUTH"] = "token",
            ["REGISTRY_AUTH_TOKEN_REALM"] = "https://configured.example/token",
            ["REGISTRY_AUTH_TOKEN_SERVICE"] = "registry.test",
            ["REGISTRY_AUTH_TOKEN_ISSUER"] = "issuer.test",
            ["REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE"] = TestCertificates.WriteCertificatePem(signer, _folder.Combine("bundle.pem")),
            ["REGISTRY_AUTH_TOKEN_AUTOREDIRECT"] = "true",
            ["REGISTRY_AUTH_TOKEN_AUTOREDIRECTPATH"] = "/login/token",
        };
        await using var berth = await BerthProcess.StartAsync(_folder.Combine("registry"), environment,
            cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        Assert.Equal("Bearer realm=\"https://registry.example.test:5000/login/token\",service=\"registry.test\"",
            await ChallengeAsync(http, berth, "registry.example.test:5000", forwardedProto: null));
        Assert.Equal("Bearer realm=\"http://10.1.2.3/login/token\",service=\"registry.test\"",
            await ChallengeAsync(http, berth, "10.1.2.3", forwardedProto: "http"));
    }

    private static async Task<string> ChallengeAsync(HttpClient http, BerthProcess berth, string host, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(berth.BaseUri, "v2/"));
        request.Headers.Host = host;
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return Assert.Single(response.Headers.WwwAuthenticate).ToString();
    }
}
