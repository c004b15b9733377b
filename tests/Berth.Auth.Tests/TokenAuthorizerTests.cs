using System.Text;
using Berth.Auth.Tests.Support;
using Berth.Core;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests;

public sealed class TokenAuthorizerTests : IDisposable
{
    private const string Base = "Bearer realm=\"https://auth.test/token\",service=\"registry.test\"";

    private readonly ManualTimeProvider _time = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly TokenIssuer _issuer;
    private readonly IRegistryAuthorizer _authorizer;

    public TokenAuthorizerTests()
    {
        _issuer = new TokenIssuer(_time);
        _authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(), null, _logs, _time);
    }

    public void Dispose()
    {
        _issuer.Dispose();
        _logs.Dispose();
    }

    private static object[] PullPushNginx => [TokenIssuer.Repository("labs/nginx", "pull", "push")];

    private Task<AuthDecision> Authorize(string? token, params AccessScope[] required) =>
        _authorizer.AuthorizeAsync(token is null ? null : "Bearer " + token, required, default, TestContext.Current.CancellationToken).AsTask();

    private static string ChallengeOf(AuthDecision decision) => Assert.IsType<AuthDecision.Unauthorized>(decision).WwwAuthenticate;

    [Fact]
    public async Task AuthorizeAsync_ValidRsaToken_AllowedWithTokenGrants()
    {
        var allowed = Assert.IsType<AuthDecision.Allowed>(await Authorize(_issuer.MintRsa(PullPushNginx), Scopes.PullPush("labs/nginx")));

        Assert.Equal("alice", allowed.Caller.User);
        var access = Assert.Single(allowed.Caller.TokenAccess!);
        Assert.Equal(["pull", "push"], access.Actions);
    }

    [Fact]
    public async Task AuthorizeAsync_ValidEcdsaToken_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await Authorize(_issuer.MintEcdsa(PullPushNginx), Scopes.Pull("labs/nginx")));

    [Fact]
    public async Task AuthorizeAsync_X5cChainToBundleCa_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await Authorize(_issuer.MintWithChain(PullPushNginx), Scopes.Pull("labs/nginx")));

    [Fact]
    public async Task AuthorizeAsync_X5cChainNotFromBundle_InvalidToken()
    {
        using var other = new TokenIssuer(_time, freshKeys: true);
        var token = other.MintWithChain(PullPushNginx);

        Assert.EndsWith(",error=\"invalid_token\"", ChallengeOf(await Authorize(token, Scopes.Pull("labs/nginx"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_NoToken_ChallengeWithScopeAndNoError()
    {
        Assert.Equal(Base + ",scope=\"repository:labs/nginx:pull,push\"", ChallengeOf(await Authorize(null, Scopes.PullPush("labs/nginx"))));
    }

    [Fact]
    public async Task AuthorizeAsync_BasicHeader_ChallengedForToken()
    {
        var decision = await _authorizer.AuthorizeAsync(Basic.Header("a", "b"), [Scopes.Pull("x")], default, TestContext.Current.CancellationToken);
        Assert.Equal(Base + ",scope=\"repository:x:pull\"", ChallengeOf(decision));
    }

    [Fact]
    public async Task AuthorizeAsync_PingWithoutToken_ChallengeWithoutScope() =>
        Assert.Equal(Base, ChallengeOf(await Authorize(null)));

    [Fact]
    public async Task AuthorizeAsync_PingWithValidToken_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await Authorize(_issuer.MintRsa()));

    [Fact]
    public async Task AuthorizeAsync_InsufficientAccess_InsufficientScopeChallenge()
    {
        var token = _issuer.MintRsa([TokenIssuer.Repository("labs/nginx", "pull")]);

        var challenge = ChallengeOf(await Authorize(token, Scopes.PullPush("labs/nginx")));

        Assert.Equal(Base + ",scope=\"repository:labs/nginx:pull,push\",error=\"insufficient_scope\"", challenge);
    }

    [Fact]
    public async Task AuthorizeAsync_GrantForOtherRepository_InsufficientScope() =>
        Assert.EndsWith("error=\"insufficient_scope\"", ChallengeOf(await Authorize(_issuer.MintRsa(PullPushNginx), Scopes.Pull("labs/nginx2"))), StringComparison.Ordinal);

    [Fact]
    public async Task AuthorizeAsync_WildcardAction_GrantsEveryAction() =>
        Assert.IsType<AuthDecision.Allowed>(await Authorize(_issuer.MintRsa([TokenIssuer.Repository("a", "*")]), [.. Scopes.PullPush("a"), Scopes.Delete("a")]));

    [Fact]
    public async Task AuthorizeAsync_CatalogScope_NeedsRegistryCatalogGrant()
    {
        var withCatalog = _issuer.MintRsa([TokenIssuer.Access("registry", "catalog", "*")]);
        Assert.IsType<AuthDecision.Allowed>(await Authorize(withCatalog, AccessScope.Catalog));

        var challenge = ChallengeOf(await Authorize(_issuer.MintRsa(PullPushNginx), AccessScope.Catalog));
        Assert.Equal(Base + ",scope=\"registry:catalog:*\",error=\"insufficient_scope\"", challenge);
    }

    [Theory]
    [InlineData(-120, -600)] // expired two minutes ago: beyond the 60 s leeway
    [InlineData(600, 120)] // not valid for two more minutes
    public async Task AuthorizeAsync_OutsideLifetime_InvalidToken(int expiresInSeconds, int notBeforeInSeconds)
    {
        var token = _issuer.MintRsa(PullPushNginx, TimeSpan.FromSeconds(expiresInSeconds), TimeSpan.FromSeconds(notBeforeInSeconds));
        Assert.EndsWith(",error=\"invalid_token\"", ChallengeOf(await Authorize(token, Scopes.Pull("labs/nginx"))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-30, -600)]
    [InlineData(600, 30)]
    public async Task AuthorizeAsync_WithinLeeway_Allowed(int expiresInSeconds, int notBeforeInSeconds)
    {
        var token = _issuer.MintRsa(PullPushNginx, TimeSpan.FromSeconds(expiresInSeconds), TimeSpan.FromSeconds(notBeforeInSeconds));
        Assert.IsType<AuthDecision.Allowed>(await Authorize(token, Scopes.Pull("labs/nginx")));
    }

    [Fact]
    public async Task AuthorizeAsync_CachedTokenLaterExpired_InvalidToken()
    {
        var token = _issuer.MintRsa(PullPushNginx, TimeSpan.FromMinutes(1));
        Assert.IsType<AuthDecision.Allowed>(await Authorize(token, Scopes.Pull("labs/nginx")));

        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.IsType<AuthDecision.Unauthorized>(await Authorize(token, Scopes.Pull("labs/nginx")));
    }

    [Fact]
    public async Task AuthorizeAsync_WrongIssuer_InvalidToken() =>
        Assert.EndsWith("error=\"invalid_token\"", ChallengeOf(await Authorize(_issuer.MintRsa(PullPushNginx, issuer: "someone-else"), Scopes.Pull("labs/nginx"))), StringComparison.Ordinal);

    [Fact]
    public async Task AuthorizeAsync_WrongAudience_InvalidToken() =>
        Assert.EndsWith("error=\"invalid_token\"", ChallengeOf(await Authorize(_issuer.MintRsa(PullPushNginx, audience: "other.registry"), Scopes.Pull("labs/nginx"))), StringComparison.Ordinal);

    [Fact]
    public async Task AuthorizeAsync_SignedByUntrustedKeyClaimingTrustedKid_InvalidToken()
    {
        using var stranger = System.Security.Cryptography.RSA.Create(2048);
        var token = _issuer.Mint(new RsaSecurityKey(stranger) { KeyId = TokenIssuer.KidOf(_issuer.RsaCertificate) }, SecurityAlgorithms.RsaSha256, PullPushNginx);

        Assert.EndsWith("error=\"invalid_token\"", ChallengeOf(await Authorize(token, Scopes.Pull("labs/nginx"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_UnknownKid_InvalidToken()
    {
        using var stranger = System.Security.Cryptography.RSA.Create(2048);
        var token = _issuer.Mint(new RsaSecurityKey(stranger) { KeyId = "AAAA:BBBB" }, SecurityAlgorithms.RsaSha256, PullPushNginx);

        Assert.EndsWith("error=\"invalid_token\"", ChallengeOf(await Authorize(token, Scopes.Pull("labs/nginx"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_AlgNone_InvalidToken()
    {
        var kid = TokenIssuer.KidOf(_issuer.RsaCertificate);
        var header = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"JWT","kid":"{{kid}}"}""");
        var payload = _issuer.MintRsa(PullPushNginx).Split('.')[1];

        var decision = await Authorize(header + "." + payload + ".", Scopes.Pull("labs/nginx"));

        Assert.EndsWith("error=\"invalid_token\"", ChallengeOf(decision), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeAsync_TamperedPayload_InvalidToken()
    {
        var parts = _issuer.MintRsa([TokenIssuer.Repository("labs/nginx", "pull")]).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"pull\"", "\"pull\",\"push\"", StringComparison.Ordinal);
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(payload) + "." + parts[2];

        Assert.EndsWith("error=\"invalid_token\"", ChallengeOf(await Authorize(tampered, Scopes.PullPush("labs/nginx"))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    public async Task AuthorizeAsync_Garbage_InvalidTokenNotException(string token) =>
        Assert.EndsWith("error=\"invalid_token\"", ChallengeOf(await Authorize(token, Scopes.Pull("x"))), StringComparison.Ordinal);

    [Fact]
    public async Task AuthorizeAsync_Anything_NeverLogsToken()
    {
        var good = _issuer.MintRsa(PullPushNginx);
        var expired = _issuer.MintRsa(PullPushNginx, TimeSpan.FromMinutes(-10), TimeSpan.FromMinutes(-20));
        await Authorize(good, Scopes.Pull("labs/nginx"));
        await Authorize(expired, Scopes.Pull("labs/nginx"));

        Assert.NotEmpty(_logs.Entries);
        foreach (var part in good.Split('.').Concat(expired.Split('.')))
        {
            Assert.DoesNotContain(part, _logs.AllText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CanPull_TokenCaller_FollowsTokenGrants()
    {
        var caller = Assert.IsType<AuthDecision.Allowed>(await Authorize(_issuer.MintRsa(PullPushNginx), Scopes.Pull("labs/nginx"))).Caller;

        Assert.True(_authorizer.CanPull(caller, RepositoryName.Parse("labs/nginx")));
        Assert.False(_authorizer.CanPull(caller, RepositoryName.Parse("labs/other")));
        Assert.False(_authorizer.CanPull(Caller.Anonymous, RepositoryName.Parse("labs/nginx")));
    }
}
