using System.Security.Cryptography;
using Berth.Auth.Tests.Support;
using Berth.Auth.Token;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests;

/// <summary>
/// How a token without x5c names its rootcertbundle key: a kid that is registry:2's libtrust id or registry:3's JWK
/// thumbprint (with registry:3's EC variants), or a jwk header carrying the key itself.
/// </summary>
public sealed class TokenKeyNamesTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly TokenIssuer _issuer;
    private readonly IRegistryAuthorizer _authorizer;
    private readonly ECDsa _stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TokenKeyNamesTests()
    {
        _issuer = new TokenIssuer(_time);
        _authorizer = RegistryAuthorizerFactory.Create(_issuer.Settings(), null, _logs, _time);
    }

    public void Dispose()
    {
        _stranger.Dispose();
        _issuer.Dispose();
        _logs.Dispose();
    }

    private static object[] Access => [TokenIssuer.Repository("labs/nginx", "pull")];

    private async Task<AuthDecision> AuthorizeAsync(string token) =>
        await _authorizer.AuthorizeAsync("Bearer " + token, [Scopes.Pull("labs/nginx")], default, TestContext.Current.CancellationToken);

    private static void AssertInvalidToken(AuthDecision decision) =>
        Assert.EndsWith(",error=\"invalid_token\"", Assert.IsType<AuthDecision.Unauthorized>(decision).WwwAuthenticate, StringComparison.Ordinal);

    private string MintRsa(string kid) =>
        _issuer.Mint(new RsaSecurityKey(_issuer.Rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256, Access);

    private string MintEcdsa(ECDsa signer, string? kid, IDictionary<string, object>? headers = null) =>
        _issuer.Mint(new ECDsaSecurityKey(signer) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256, Access, headers: headers);

    private static Dictionary<string, object> JwkOf(ECDsa key, string? kid = null, string[]? x5c = null)
    {
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        var jwk = new Dictionary<string, object>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(point.X),
            ["y"] = Base64UrlEncoder.Encode(point.Y),
        };
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        if (x5c is not null)
        {
            jwk["x5c"] = x5c;
        }

        return new Dictionary<string, object> { ["jwk"] = jwk };
    }

    [Fact]
    public async Task AuthorizeAsync_RsaKidIsRfc7638Thumbprint_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintRsa(TokenIssuer.ThumbprintOf(_issuer.RsaCertificate))));

    [Fact]
    public async Task AuthorizeAsync_EcKidIsRfc7638Thumbprint_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintEcdsa(_issuer.Ecdsa, TokenIssuer.ThumbprintOf(_issuer.EcdsaCertificate))));

    [Fact]
    public async Task AuthorizeAsync_RsaKidIsLibtrustId_StillAllowed() =>
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintRsa(TokenIssuer.KidOf(_issuer.RsaCertificate))));

    [Fact]
    public async Task AuthorizeAsync_KidIsThumbprintOfAnotherBundleKey_InvalidToken() =>
        AssertInvalidToken(await AuthorizeAsync(MintRsa(TokenIssuer.ThumbprintOf(_issuer.EcdsaCertificate))));

    [Fact]
    public async Task AuthorizeAsync_KidIsThumbprintOfAnUntrustedKey_InvalidToken() =>
        AssertInvalidToken(await AuthorizeAsync(MintEcdsa(_stranger, JwkThumbprint.Of(new ECDsaSecurityKey(_stranger)))));

    [Fact]
    public async Task AuthorizeAsync_EcKidIsRegistry3CurveThumbprint_AnyBundleKeyOnThatCurveAllowed()
    {
        // The bundle holds two P-256 keys (the signer and the CA); registry:3.0.0's thumbprint names both.
        var curveKid = JwkThumbprint.Registry3EcForms(_issuer.Ecdsa).Last();

        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintEcdsa(_issuer.Ecdsa, curveKid)));
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintEcdsa(_issuer.Ca, curveKid)));
        AssertInvalidToken(await AuthorizeAsync(MintEcdsa(_stranger, curveKid)));
    }

    [Fact]
    public async Task AuthorizeAsync_EcKidIsRegistry3UnpaddedThumbprint_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintEcdsa(_issuer.Ecdsa, JwkThumbprint.Registry3EcForms(_issuer.Ecdsa).First())));

    [Fact]
    public async Task AuthorizeAsync_JwkHeaderIsABundleKey_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintEcdsa(_issuer.Ecdsa, kid: null, JwkOf(_issuer.Ecdsa))));

    [Fact]
    public async Task AuthorizeAsync_JwkHeaderOfAnUntrustedKey_InvalidToken() =>
        AssertInvalidToken(await AuthorizeAsync(MintEcdsa(_stranger, kid: null, JwkOf(_stranger))));

    [Fact]
    public async Task AuthorizeAsync_JwkHeaderWithTrustedKidButOwnKey_InvalidTokenAsTheTrustedKeyVerifies()
    {
        var headers = JwkOf(_stranger, kid: TokenIssuer.ThumbprintOf(_issuer.EcdsaCertificate));

        AssertInvalidToken(await AuthorizeAsync(MintEcdsa(_stranger, kid: null, headers)));
    }

    [Fact]
    public async Task AuthorizeAsync_JwkHeaderWithChainToBundleCa_Allowed()
    {
        string[] chain = [Convert.ToBase64String(_issuer.LeafCertificate.RawData), Convert.ToBase64String(_issuer.CaCertificate.RawData)];

        Assert.IsType<AuthDecision.Allowed>(await AuthorizeAsync(MintEcdsa(_issuer.Leaf, kid: null, JwkOf(_issuer.Leaf, x5c: chain))));
    }

    [Fact]
    public async Task AuthorizeAsync_JwkHeaderOverridesKid_AsRegistry3Orders()
    {
        // A trusted kid beside an untrusted jwk: registry:3 looks at the jwk only, so the token is refused.
        var headers = JwkOf(_stranger);

        AssertInvalidToken(await AuthorizeAsync(MintEcdsa(_issuer.Ecdsa, TokenIssuer.KidOf(_issuer.EcdsaCertificate), headers)));
    }
}
