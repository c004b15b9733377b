using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Token;

/// <summary>
/// The names registry:3 gives a public key in a token's <c>kid</c>: its RFC 7638 JWK thumbprint (SHA-256 of the
/// canonical JSON of the required members, base64url without padding), and for EC keys the two non-RFC forms that
/// registry:3 releases compute (see <see cref="Registry3EcForms"/>).
/// </summary>
internal static class JwkThumbprint
{
    /// <summary>The RFC 7638 thumbprint of an RSA or EC public key.</summary>
    public static string Of(SecurityKey key) => Of(key switch
    {
        RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(rsa),
        ECDsaSecurityKey ecdsa => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ecdsa),
        JsonWebKey jwk => jwk,
        _ => throw new ArgumentException($"no thumbprint for a {key.GetType().Name}", nameof(key)),
    });

    /// <summary>The RFC 7638 thumbprint of a JWK's public members (kid, alg, use and private members play no part).</summary>
    public static string Of(JsonWebKey key) => Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());

    /// <summary>
    /// The thumbprints registry:3 computes for an EC key where they differ from <see cref="Of(SecurityKey)"/>.
    /// It writes coordinates as Go's <c>big.Int.Bytes()</c> does, without the leading zero bytes RFC 7518 keeps
    /// (so about one key in 128 gets another value); and 3.0.0 hashes the curve's generator point instead of the key's
    /// own point (distribution issue #4683, fixed by #4684 after 3.0.0), so every key on a curve gets the same name.
    /// </summary>
    public static IEnumerable<string> Registry3EcForms(ECDsa key)
    {
        var curve = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(key)).Crv;
        var own = key.ExportParameters(includePrivateParameters: false).Q;
        var generator = key.ExportExplicitParameters(includePrivateParameters: false).Curve.G;
        yield return Unpadded(curve, own);
        yield return Unpadded(curve, generator);
    }

    private static string Unpadded(string curve, ECPoint point) => Of(new JsonWebKey
    {
        Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
        Crv = curve,
        X = Base64UrlEncoder.Encode(TrimLeadingZeros(point.X!)),
        Y = Base64UrlEncoder.Encode(TrimLeadingZeros(point.Y!)),
    });

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = Array.FindIndex(value, b => b != 0);
        return start < 0 ? [] : value[start..];
    }
}
