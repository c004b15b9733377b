using Berth.Auth.Tests.Support;
using Berth.Auth.Token;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests;

/// <summary><c>auth.token.signingalgorithms</c>: the allow-list, and the names Berth refuses at startup.</summary>
public sealed class TokenSigningAlgorithmsTests : IDisposable
{
    private static readonly object[] PullNginx = [TokenIssuer.Repository("labs/nginx", "pull")];

    private readonly ManualTimeProvider _time = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly TokenIssuer _issuer;

    public TokenSigningAlgorithmsTests()
    {
        _issuer = new TokenIssuer(_time);
    }

    public void Dispose()
    {
        _issuer.Dispose();
        _logs.Dispose();
    }

    private async Task<AuthDecision> AuthorizeAsync(IReadOnlyList<string>? algorithms, string token)
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings() with { SigningAlgorithms = algorithms }, null, _logs, _time);
        return await authorizer.AuthorizeAsync("Bearer " + token, [Scopes.Pull("labs/nginx")], default, TestContext.Current.CancellationToken);
    }

    private string MintRsa(string algorithm) =>
        _issuer.Mint(new RsaSecurityKey(_issuer.Rsa) { KeyId = TokenIssuer.KidOf(_issuer.RsaCertificate) }, algorithm, PullNginx);

    [Fact]
    public async Task AuthorizeAsync_AlgorithmOnTheList_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(["ES256"], _issuer.MintEcdsa(PullNginx)));

    [Fact]
    public async Task AuthorizeAsync_AlgorithmNotOnTheList_InvalidToken()
    {
        // A well-signed RS256 token from a trusted key: only the list keeps it out.
        var decision = Assert.IsType<AuthDecision.Unauthorized>(await AuthorizeAsync(["ES256"], _issuer.MintRsa(PullNginx)));

        Assert.EndsWith(",error=\"invalid_token\"", decision.WwwAuthenticate, StringComparison.Ordinal);
        Assert.StartsWith("Bearer realm=", decision.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha512)]
    public async Task AuthorizeAsync_RsaFamilyByDefault_Allowed(string algorithm) =>
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(null, MintRsa(algorithm)));

    [Fact]
    public async Task AuthorizeAsync_PssOnlyList_RefusesPkcs1()
    {
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(["PS256"], MintRsa(SecurityAlgorithms.RsaSsaPssSha256)));
        Assert.IsType<AuthDecision.Unauthorized>(await AuthorizeAsync(["PS256"], MintRsa(SecurityAlgorithms.RsaSha256)));
    }

    [Fact]
    public void Resolve_NothingConfigured_EveryAlgorithmBerthVerifies()
    {
        Assert.Equal(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"], TokenSigningAlgorithms.Resolve(null));
        Assert.Same(TokenSigningAlgorithms.Default, TokenSigningAlgorithms.Resolve([]));
    }

    [Theory]
    [InlineData("XX256", "unknown algorithm 'XX256'")]
    [InlineData("rs256", "did you mean 'RS256'")]
    [InlineData("none", "unknown algorithm 'none'")]
    public void Resolve_UnknownName_RefusedNamingItsIndex(string name, string reason)
    {
        var error = Assert.Throws<AuthConfigurationException>(() => TokenSigningAlgorithms.Resolve(["RS256", name]));

        Assert.Equal("auth.token.signingalgorithms.1", error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS512")]
    [InlineData("EdDSA")]
    public void Resolve_Registry3NameBerthCannotVerify_DroppedAndNamedAsIgnored(string name)
    {
        Assert.Equal(["ES256"], TokenSigningAlgorithms.Resolve(["ES256", name]));
        Assert.Contains(TokenSigningAlgorithms.Ignored(["ES256", name]), reason => reason.StartsWith($"'{name}':", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_OnlyNamesBerthCannotVerify_RefusedAsNoTokenCouldPass()
    {
        var error = Assert.Throws<AuthConfigurationException>(() => TokenSigningAlgorithms.Resolve(["EdDSA", "HS256"]));

        Assert.Equal("auth.token.signingalgorithms", error.Key);
        Assert.Contains("no token could be accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadAlgorithmInSettings_IsAConfigurationError()
    {
        var settings = _issuer.Settings() with { SigningAlgorithms = ["XX256"] };

        var error = Assert.Throws<AuthConfigurationException>(() => RegistryAuthorizerFactory.Create(settings, null, _logs, _time));
        Assert.Equal("auth.token.signingalgorithms.0", error.Key);
    }
}
