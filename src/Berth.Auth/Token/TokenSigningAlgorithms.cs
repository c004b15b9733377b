namespace Berth.Auth.Token;

/// <summary>
/// <c>auth.token.signingalgorithms</c>: the JWS <c>alg</c> values a token may be signed with. registry:3 knows
/// thirteen names (case-sensitive) and allows all of them by default; Berth allows the ones it can verify with the
/// public keys of <c>rootcertbundle</c> and <c>jwks</c> (RS*, PS*, ES*) and refuses the rest by name at startup,
/// so a configuration never lists an algorithm that could not let a single token in.
/// </summary>
public static class TokenSigningAlgorithms
{
    private const string Key = "auth.token.signingalgorithms";

    /// <summary>What an absent or empty list means: every algorithm Berth can verify.</summary>
    public static IReadOnlyList<string> Default { get; } =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private static readonly string[] Hmac = ["HS256", "HS384", "HS512"];

    /// <summary>The algorithms a token may use: <paramref name="configured"/> checked, or <see cref="Default"/>.</summary>
    /// <exception cref="AuthConfigurationException">A name is unknown, or known but not verifiable by Berth.</exception>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? configured)
    {
        if (configured is null || configured.Count == 0)
        {
            return Default;
        }

        for (var i = 0; i < configured.Count; i++)
        {
            Check(configured[i], $"{Key}.{i}");
        }

        return configured.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static void Check(string name, string key)
    {
        if (Default.Contains(name, StringComparer.Ordinal))
        {
            return;
        }

        if (Hmac.Contains(name, StringComparer.Ordinal))
        {
            // registry:3 accepts the name, but keeps only public keys from its key sources, so no HMAC token can
            // pass there either; a shared secret has no place in a certificate bundle or a public key set.
            throw new AuthConfigurationException(key, $"'{name}' is an HMAC algorithm: it needs a shared secret, and Berth "
                + "verifies tokens only with the public keys of rootcertbundle and jwks (registry:3 cannot verify such a token "
                + "either); remove it, and sign tokens with RS256, PS256 or ES256");
        }

        if (name == "EdDSA")
        {
            throw new AuthConfigurationException(key, "'EdDSA' (Ed25519) is not supported by Berth: .NET has no Ed25519 "
                + "verifier; remove it, and sign tokens with ES256, PS256 or RS256");
        }

        var hint = Default.Concat(Hmac).Append("EdDSA").FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
        throw new AuthConfigurationException(key, hint is null
            ? $"unknown algorithm '{name}'; Berth verifies {string.Join(", ", Default)}"
            : $"unknown algorithm '{name}'; names are case-sensitive: did you mean '{hint}'?");
    }
}
