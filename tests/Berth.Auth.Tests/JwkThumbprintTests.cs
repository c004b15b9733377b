using System.Security.Cryptography;
using Berth.Auth.Token;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests;

public sealed class JwkThumbprintTests
{
    // The RSA key of RFC 7638 section 3.1 and the thumbprint the RFC gives for it.
    private const string RfcModulus =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    private const string RfcThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    // A P-256 key whose x coordinate starts with a zero byte. The expected values were computed outside .NET
    // (Python's cryptography and hashlib): the RFC form with 32-byte coordinates, the form Go's big.Int.Bytes()
    // gives without the zero byte, and the form registry:3.0.0 hashes from the curve's generator point.
    private const string LeadingZeroEcKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAAxpup50oqUiliJJfoxkJkJdSi6V
        dDDbp3Kvg3gNC+P91slz/3t7VKXMSuzav+rSyNKbC578erx7qVdkoTMtmw==
        -----END PUBLIC KEY-----
        """;

    [Fact]
    public void Of_RfcRsaKey_MatchesTheRfcThumbprint()
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(RfcModulus), Exponent = Base64UrlEncoder.DecodeBytes("AQAB") });

        Assert.Equal(RfcThumbprint, JwkThumbprint.Of(new RsaSecurityKey(rsa)));
    }

    [Fact]
    public void Of_RfcKeyAsJwkWithOptionalMembers_OnlyRequiredMembersCount()
    {
        var jwk = new JsonWebKey($$"""{"kty":"RSA","n":"{{RfcModulus}}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}""");

        Assert.Equal(RfcThumbprint, JwkThumbprint.Of(jwk));
    }

    [Fact]
    public void Of_EcKeyWithLeadingZeroCoordinate_KeepsTheZeroAsRfc7518Requires()
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(LeadingZeroEcKeyPem);

        Assert.Equal("ri6vtGeMUtSJ6CvGWxrHYMHVQRFk2wDs3Agn9_hBYPM", JwkThumbprint.Of(new ECDsaSecurityKey(key)));
    }

    [Fact]
    public void Registry3EcForms_EcKeyWithLeadingZeroCoordinate_UnpaddedPointThenCurveGenerator()
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(LeadingZeroEcKeyPem);

        Assert.Equal(
            ["gkkfJQdYGUJrT1WxejGL9p8qtL5ZC8fo2JoBSm-yusY", "xx0BcA-wMohw8atYDJOe6peGModklG2wRHBlXHMvl0M"],
            JwkThumbprint.Registry3EcForms(key));
    }

    [Fact]
    public void Registry3EcForms_TwoKeysOnOneCurve_ShareTheGeneratorForm()
    {
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal(JwkThumbprint.Registry3EcForms(first).Last(), JwkThumbprint.Registry3EcForms(second).Last());
        Assert.NotEqual(JwkThumbprint.Of(new ECDsaSecurityKey(first)), JwkThumbprint.Of(new ECDsaSecurityKey(second)));
    }
}
