using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Token;

/// <summary>
/// The keys trusted to sign tokens: the certificates of <c>rootcertbundle</c> (x5c chains must end in one of them;
/// a <c>kid</c> may name one by its libtrust key id, registry:2's name, or its JWK thumbprint, registry:3's) and the
/// keys of <c>jwks</c> (by their <c>kid</c>).
/// </summary>
internal sealed class TokenKeyRing
{
    private readonly X509Certificate2Collection _roots;

    // A name maps to several keys only for registry:3.0.0's EC thumbprint, which names a curve rather than a key;
    // each candidate is then tried, and a signature by none of them is refused as any other.
    private readonly Dictionary<string, List<SecurityKey>> _keysById;

    private TokenKeyRing(X509Certificate2Collection roots, Dictionary<string, List<SecurityKey>> keysById)
    {
        _roots = roots;
        _keysById = keysById;
    }

    /// <exception cref="AuthConfigurationException">A file is unreadable or invalid, or no key is configured.</exception>
    public static TokenKeyRing Load(TokenAuthSettings settings)
    {
        if (string.IsNullOrEmpty(settings.RootCertBundle) && string.IsNullOrEmpty(settings.Jwks))
        {
            throw new AuthConfigurationException("auth.token.rootcertbundle", "token auth needs signing keys: set rootcertbundle, jwks or both");
        }

        var roots = new X509Certificate2Collection();
        var keysById = new Dictionary<string, List<SecurityKey>>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(settings.RootCertBundle))
        {
            roots = LoadBundle(settings.RootCertBundle);
            foreach (var certificate in roots)
            {
                var key = KeyOf(certificate)!;
                foreach (var name in NamesOf(certificate, key))
                {
                    Add(keysById, name, key);
                }
            }
        }

        if (!string.IsNullOrEmpty(settings.Jwks))
        {
            foreach (var key in LoadJwks(settings.Jwks))
            {
                Add(keysById, key.KeyId, key);
            }
        }

        return new TokenKeyRing(roots, keysById);
    }

    /// <summary>
    /// The trusted keys of which one must have signed <paramref name="token"/>, in registry:3's order: the leaf of
    /// its verified x5c chain; else the key of its <c>jwk</c> header (<see cref="FromJwk"/>); else the keys its
    /// <c>kid</c> names. Empty, with the reason, when none is trusted.
    /// </summary>
    public IReadOnlyList<SecurityKey> Resolve(JsonWebToken token, DateTimeOffset now, out string reason)
    {
        reason = "";
        if (token.TryGetHeaderValue<string[]>("x5c", out var chain) && chain is { Length: > 0 })
        {
            return FromChain(chain, now, out reason) is { } leaf ? [leaf] : [];
        }

        if (HeaderJwk(token) is { } jwk)
        {
            return FromJwk(jwk, now, out reason);
        }

        if (!string.IsNullOrEmpty(token.Kid) && _keysById.TryGetValue(token.Kid, out var keys))
        {
            return keys;
        }

        reason = string.IsNullOrEmpty(token.Kid) ? "no x5c, jwk or kid" : "kid names no trusted key";
        return [];
    }

    /// <summary>
    /// A token carrying its own public key is trusted only as far as that key is: a chain in the JWK's x5c must
    /// lead to a rootcertbundle certificate (its leaf signs); else the JWK must be a trusted key, by its own kid (as
    /// registry:3 checks) or by its key material (as registry:2 checks, through the libtrust id of the embedded key).
    /// The signature is always verified with the trusted copy, never with the key the token brought.
    /// </summary>
    private List<SecurityKey> FromJwk(JsonWebKey jwk, DateTimeOffset now, out string reason)
    {
        reason = "";
        if (jwk.X5c.Count > 0)
        {
            return FromChain([.. jwk.X5c], now, out reason) is { } leaf ? [leaf] : [];
        }

        if (!string.IsNullOrEmpty(jwk.Kid) && _keysById.TryGetValue(jwk.Kid, out var byKid))
        {
            return byKid;
        }

        if (jwk.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve
            && _keysById.TryGetValue(JwkThumbprint.Of(jwk), out var byMaterial))
        {
            return byMaterial;
        }

        reason = "jwk header is not a trusted key and has no certificate chain";
        return [];
    }

    /// <summary>The <c>jwk</c> header, or null when there is none; a malformed one counts as none.</summary>
    private static JsonWebKey? HeaderJwk(JsonWebToken token)
    {
        try
        {
            using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedHeader));
            return header.RootElement.TryGetProperty("jwk", out var jwk) && jwk.ValueKind == JsonValueKind.Object
                ? new JsonWebKey(jwk.GetRawText())
                : null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every name a token server may give a rootcertbundle key in <c>kid</c>: registry:2's libtrust id, the RFC 7638
    /// thumbprint, and for EC keys the forms registry:3 releases compute instead (<see cref="JwkThumbprint.Registry3EcForms"/>).
    /// </summary>
    private static IEnumerable<string> NamesOf(X509Certificate2 certificate, SecurityKey key)
    {
        yield return LibtrustKeyId.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());
        yield return JwkThumbprint.Of(key);
        if (key is ECDsaSecurityKey ecdsa)
        {
            foreach (var name in JwkThumbprint.Registry3EcForms(ecdsa.ECDsa))
            {
                yield return name;
            }
        }
    }

    private static void Add(Dictionary<string, List<SecurityKey>> keysById, string name, SecurityKey key)
    {
        if (!keysById.TryGetValue(name, out var keys))
        {
            keysById[name] = keys = [];
        }

        if (!keys.Contains(key))
        {
            keys.Add(key);
        }
    }

    private SecurityKey? FromChain(string[] encoded, DateTimeOffset now, out string reason)
    {
        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var der in encoded)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der)));
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
            chain.ChainPolicy.ExtraStore.AddRange(certificates.Skip(1).ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            if (!chain.Build(certificates[0]))
            {
                reason = "x5c chain does not lead to a rootcertbundle certificate: " +
                    string.Join(", ", chain.ChainStatus.Select(s => s.Status));
                return null;
            }

            reason = "";
            return KeyOf(certificates[0]) ?? Fail(out reason, "x5c leaf has neither an RSA nor an ECDSA key");
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            reason = "x5c is not a list of base64 DER certificates";
            return null;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private static SecurityKey? Fail(out string reason, string why)
    {
        reason = why;
        return null;
    }

    private static SecurityKey? KeyOf(X509Certificate2 certificate) =>
        certificate.GetRSAPublicKey() is { } rsa ? new RsaSecurityKey(rsa)
        : certificate.GetECDsaPublicKey() is { } ecdsa ? new ECDsaSecurityKey(ecdsa)
        : null;

    private static X509Certificate2Collection LoadBundle(string path)
    {
        const string Key = "auth.token.rootcertbundle";
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new AuthConfigurationException(Key, $"the certificate bundle {path} cannot be read: {e.Message}", e);
        }

        if (bundle.Count == 0)
        {
            throw new AuthConfigurationException(Key, $"the certificate bundle {path} holds no PEM certificate");
        }

        foreach (var certificate in bundle)
        {
            if (KeyOf(certificate) is null)
            {
                throw new AuthConfigurationException(Key, $"certificate '{certificate.Subject}' in {path} has neither an RSA nor an ECDSA key");
            }
        }

        return bundle;
    }

    private static List<JsonWebKey> LoadJwks(string path)
    {
        const string Key = "auth.token.jwks";
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new AuthConfigurationException(Key, $"the JSON Web Key Set {path} cannot be read: {e.Message}", e);
        }

        var keys = new List<JsonWebKey>();
        for (var i = 0; i < set.Keys.Count; i++)
        {
            var key = set.Keys[i];
            if (string.IsNullOrEmpty(key.Kid))
            {
                throw new AuthConfigurationException(Key, $"key {i} in {path} has no kid, so no token can name it");
            }

            if (key.Kty is not (JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve))
            {
                throw new AuthConfigurationException(Key, $"key '{key.Kid}' in {path} is of type '{key.Kty}'; only RSA and EC keys sign tokens");
            }

            keys.Add(key);
        }

        if (keys.Count == 0)
        {
            throw new AuthConfigurationException(Key, $"the JSON Web Key Set {path} holds no key");
        }

        return keys;
    }
}
