using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Token;

/// <summary>
/// The keys trusted to sign tokens: the certificates of <c>rootcertbundle</c> (x5c chains must end in one of them;
/// a <c>kid</c> may name one by its libtrust key id) and the keys of <c>jwks</c> (by their <c>kid</c>).
/// </summary>
internal sealed class TokenKeyRing
{
    private readonly X509Certificate2Collection _roots;
    private readonly Dictionary<string, SecurityKey> _keysById;

    private TokenKeyRing(X509Certificate2Collection roots, Dictionary<string, SecurityKey> keysById)
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
        var keysById = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(settings.RootCertBundle))
        {
            roots = LoadBundle(settings.RootCertBundle);
            foreach (var certificate in roots)
            {
                keysById[LibtrustKeyId.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo())] = KeyOf(certificate)!;
            }
        }

        if (!string.IsNullOrEmpty(settings.Jwks))
        {
            foreach (var key in LoadJwks(settings.Jwks))
            {
                keysById[key.KeyId] = key;
            }
        }

        return new TokenKeyRing(roots, keysById);
    }

    /// <summary>
    /// The trusted key that must have signed <paramref name="token"/>: from its verified x5c chain when it has one
    /// (as registry:2 does), else the key its <c>kid</c> names. Null, with the reason, when none is trusted.
    /// </summary>
    public SecurityKey? Resolve(JsonWebToken token, DateTimeOffset now, out string reason)
    {
        reason = "";
        if (token.TryGetHeaderValue<string[]>("x5c", out var chain) && chain is { Length: > 0 })
        {
            return FromChain(chain, now, out reason);
        }

        if (!string.IsNullOrEmpty(token.Kid) && _keysById.TryGetValue(token.Kid, out var key))
        {
            return key;
        }

        reason = string.IsNullOrEmpty(token.Kid) ? "no x5c and no kid" : "kid names no trusted key";
        return null;
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
