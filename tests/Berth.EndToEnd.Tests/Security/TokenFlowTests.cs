using System.Net;
using System.Net.Http.Headers;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// Token auth end to end: skopeo follows berth's Bearer challenge to the test's token server with its credentials,
/// and berth accepts the signed token; tokens for another repository, or expired ones, are refused.
/// </summary>
public sealed class TokenFlowTests(TokenRegistry registry) : IClassFixture<TokenRegistry>
{
    private const string Creds = TokenServer.User + ":" + TokenServer.Password;

    [Fact]
    public async Task CopyInspectCopyBack_SkopeoWithCreds_TokenFetchedAndAccepted()
    {
        await SkopeoTlsTests.RoundTripAsync($"docker://{registry.Berth.HostPort}/token/skopeo:v1", registry.Lab.CertDir, Creds);

        Assert.Contains("moby repository:token/skopeo:pull,push", registry.Tokens.Requests);
    }

    [Fact]
    public async Task CopyInspectCopyBack_TokensNameTheKeyByThumbprint_AcceptedAsRegistry3Does()
    {
        var repository = TokenServer.Registry3Prefix + "skopeo";

        await SkopeoTlsTests.RoundTripAsync($"docker://{registry.Berth.HostPort}/{repository}:v1", registry.Lab.CertDir, Creds);

        Assert.Contains($"moby repository:{repository}:pull,push", registry.Tokens.Requests);
    }

    [Fact]
    public async Task Get_ThumbprintAndLibtrustKids_BothAccepted()
    {
        // Granted: the registry answers for the repository itself (it does not exist: 404), not the auth layer.
        foreach (var keyName in (TokenServer.KeyName[])[TokenServer.KeyName.Libtrust, TokenServer.KeyName.Thumbprint])
        {
            var token = registry.Tokens.Mint("moby", [("repository", "token/kid", ["pull"])], keyName: keyName);

            using var response = await GetTagsAsync("token/kid", token);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Inspect_WrongPassword_TokenServerRefusesAndSkopeoFails()
    {
        var inspect = await Skopeo.TryRunAsync(["inspect", "--cert-dir", registry.Lab.CertDir, "--creds", "moby:not-gordon",
            $"docker://{registry.Berth.HostPort}/token/any:v1"], Token);

        SkopeoTlsTests.AssertUnauthorized(inspect);
        Assert.Contains("- repository:token/any:pull", registry.Tokens.Requests);
    }

    [Fact]
    public async Task Get_TokenForAnotherRepository_401InsufficientScope()
    {
        var token = registry.Tokens.Mint("moby", [("repository", "token/granted", ["pull"])]);

        using var granted = await GetTagsAsync("token/granted", token);
        using var other = await GetTagsAsync("token/other", token);

        // Granted: the registry answers for the repository itself (it does not exist: 404), not the auth layer.
        Assert.Equal(HttpStatusCode.NotFound, granted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        var challenge = other.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"repository:token/other:pull\"", challenge, StringComparison.Ordinal);
        Assert.Contains($"realm=\"{registry.Tokens.Realm}\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ExpiredToken_401InvalidToken()
    {
        // Ten minutes past: well beyond the 60 s of clock skew registry:2 (and berth) allow.
        var token = registry.Tokens.Mint("moby", [("repository", "token/expired", ["pull"])], DateTimeOffset.UtcNow.AddMinutes(-10));

        using var response = await GetTagsAsync("token/expired", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"UNAUTHORIZED\"", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> GetTagsAsync(string repository, string token)
    {
        using var http = registry.Lab.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.Berth.BaseUri, $"v2/{repository}/tags/list"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, Token);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
