using System.Security.Cryptography;
using Berth.Auth.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests;

/// <summary>Where token signing keys come from: a JWKS file (by kid), with or without a certificate bundle.</summary>
public sealed class TokenKeySourcesTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly TokenIssuer _issuer;
    private readonly ECDsa _jwksKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TokenKeySourcesTests()
    {
        _issuer = new TokenIssuer(_time);
    }

    public void Dispose()
    {
        _jwksKey.Dispose();
        _issuer.Dispose();
        _logs.Dispose();
    }

    private string WriteJwks()
    {
        var p = _jwksKey.ExportParameters(includePrivateParameters: false);
        var rsa = _issuer.Rsa.ExportParameters(includePrivateParameters: false);
        return _issuer.WriteFile("jwks.json", $$"""
            {"keys":[
              {"kty":"EC","crv":"P-256","kid":"ec-1","use":"sig","alg":"ES256","x":"{{Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y)}}"},
              {"kty":"RSA","kid":"rsa-1","use":"sig","alg":"RS256","n":"{{Base64UrlEncoder.Encode(rsa.Modulus)}}","e":"{{Base64UrlEncoder.Encode(rsa.Exponent)}}"}
            ]}
            """);
    }

    private static async Task<AuthDecision> AuthorizeAsync(IRegistryAuthorizer authorizer, string token) =>
        await authorizer.AuthorizeAsync("Bearer " + token, [Scopes.Pull("labs/nginx")], default, TestContext.Current.CancellationToken);

    private static object[] Access => [TokenIssuer.Repository("labs/nginx", "pull")];

    [Fact]
    public async Task AuthorizeAsync_JwksOnlyEcKeyByKid_Allowed()
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(WriteJwks(), bundle: false), null, _logs, _time);
        var token = _issuer.Mint(new ECDsaSecurityKey(_jwksKey) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256, Access);

        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(authorizer, token));
    }

    [Fact]
    public async Task AuthorizeAsync_JwksRsaKeyByKid_Allowed()
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(WriteJwks(), bundle: false), null, _logs, _time);
        var token = _issuer.Mint(new RsaSecurityKey(_issuer.Rsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256, Access);

        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(authorizer, token));
    }

    [Fact]
    public async Task AuthorizeAsync_JwksKidWithOtherKeysSignature_InvalidToken()
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(WriteJwks(), bundle: false), null, _logs, _time);
        var token = _issuer.Mint(new ECDsaSecurityKey(_issuer.Ecdsa) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256, Access);

        Assert.IsType<AuthDecision.Unauthorized>(await AuthorizeAsync(authorizer, token));
    }

    [Fact]
    public async Task AuthorizeAsync_BundleAndJwks_BothSourcesTrusted()
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(WriteJwks()), null, _logs, _time);

        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(authorizer, _issuer.MintEcdsa(Access)));
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(authorizer, _issuer.Mint(new ECDsaSecurityKey(_jwksKey) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256, Access)));
    }

    [Fact]
    public async Task AuthorizeAsync_BundleOnlyTokenWithoutKidOrX5c_InvalidToken()
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(), null, _logs, _time);
        var token = _issuer.Mint(new ECDsaSecurityKey(_issuer.Ecdsa), SecurityAlgorithms.EcdsaSha256, Access);

        Assert.IsType<AuthDecision.Unauthorized>(await AuthorizeAsync(authorizer, token));
    }

    [Fact]
    public async Task AuthorizeAsync_MalformedAccessClaim_InvalidToken()
    {
        var authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(), null, _logs, _time);
        var token = _issuer.Mint(new ECDsaSecurityKey(_issuer.Ecdsa) { KeyId = TokenIssuer.KidOf(_issuer.EcdsaCertificate) }, SecurityAlgorithms.EcdsaSha256, ["not-an-object"]);

        var decision = Assert.IsType<AuthDecision.Unauthorized>(await AuthorizeAsync(authorizer, token));
        Assert.EndsWith("error=\"invalid_token\"", decision.WwwAuthenticate, StringComparison.Ordinal);
    }
}
