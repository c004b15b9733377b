using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary><c>auth.token.autoredirect</c>: the challenge's realm from the request's own host, as registry:3 builds it.</summary>
public sealed class TokenAutoRedirectTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly TokenIssuer _issuer;

    public TokenAutoRedirectTests()
    {
        _issuer = new TokenIssuer(_time);
    }

    public void Dispose()
    {
        _issuer.Dispose();
        _logs.Dispose();
    }

    private async Task<string> RealmAsync(string? path, RequestOrigin origin, string? authorization = null)
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings() with { AutoRedirectPath = path }, null, _logs, _time);
        var decision = await authorizer.AuthorizeAsync(authorization, [Scopes.Pull("labs/nginx")], origin, TestContext.Current.CancellationToken);
        var challenge = Assert.IsType<AuthDecision.Unauthorized>(decision).WwwAuthenticate;
        var start = "Bearer realm=\"".Length;
        return challenge[start..challenge.IndexOf('"', start)];
    }

    [Fact]
    public async Task AuthorizeAsync_AutoRedirect_RealmIsHttpsOnTheRequestHostAndPath() =>
        Assert.Equal("https://registry.example.com:5000/auth/token", await RealmAsync("/auth/token", new("registry.example.com:5000", null)));

    [Fact]
    public async Task AuthorizeAsync_AutoRedirectOff_ConfiguredRealm() =>
        Assert.Equal(TokenIssuer.Realm, await RealmAsync(null, new("registry.example.com:5000", "http")));

    [Theory]
    [InlineData("http", "http")]
    [InlineData("HTTP", "http")]
    [InlineData("https", "https")]
    [InlineData("http, https", "http")]
    [InlineData("", "https")]
    [InlineData("gopher", "https")]
    public async Task AuthorizeAsync_ForwardedProto_ChoosesTheScheme(string forwardedProto, string scheme) =>
        Assert.Equal(scheme + "://r.test/token", await RealmAsync("/token", new("r.test", forwardedProto)));

    [Fact]
    public async Task AuthorizeAsync_RequestWithoutHost_ConfiguredRealm() =>
        Assert.Equal(TokenIssuer.Realm, await RealmAsync("/auth/token", default));

    [Fact]
    public async Task AuthorizeAsync_InvalidToken_ChallengeUsesTheRequestHostToo() =>
        Assert.Equal("https://r.test/auth/token", await RealmAsync("/auth/token", new("r.test", null), "Bearer not-a-token"));
}
