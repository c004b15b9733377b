namespace Berth.Auth.Token;

/// <summary>
/// <c>auth.token.signingalgorithms</c>: the JWS <c>alg</c> values a token may be signed with. registry:3 knows
/// thirteen names (case-sensitive) and allows all of them by default; Berth verifies the nine it can check with the
/// public keys of <c>rootcertbundle</c> and <c>jwks</c> (RS*, PS*, ES*). registry:3's other four (HS*, EdDSA) are
/// accepted in a list, so a registry:3 file starts unchanged, but let no token in (the caller warns about them);
/// a list left with nothing Berth can verify, and a name registry:3 does not know either, stop the start.
/// </summary>
public static class TokenSigningAlgorithms
{
    private const string Key = "auth.token.signingalgorithms";

    /// <summary>What an absent or empty list means: every algorithm Berth can verify.</summary>
    public static IReadOnlyList<string> Default { get; } =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>registry:3's names that Berth cannot verify, with why.</summary>
    private static readonly Dictionary<string, string> Unverifiable = new(StringComparer.Ordinal)
    {
        // registry:3 accepts the names but keeps only public keys from its key sources, so no HMAC token passes
        // there either; a shared secret has no place in a certificate bundle or a public key set.
        ["HS256"] = "an HMAC algorithm needs a shared secret, and tokens are verified with public keys only",
        ["HS384"] = "an HMAC algorithm needs a shared secret, and tokens are verified with public keys only",
        ["HS512"] = "an HMAC algorithm needs a shared secret, and tokens are verified with public keys only",
        ["EdDSA"] = "Ed25519 has no verifier in .NET",
    };

    /// <summary>The algorithms a token may use: the verifiable part of <paramref name="configured"/>, or <see cref="Default"/>.</summary>
    /// <exception cref="AuthConfigurationException">A name is unknown, or no name is left that Berth can verify.</exception>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? configured)
    {
        if (configured is null || configured.Count == 0)
        {
            return Default;
        }

        for (var i = 0; i < configured.Count; i++)
        {
            CheckKnown(configured[i], $"{Key}.{i}");
        }

        var verifiable = configured.Where(name => Default.Contains(name, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        return verifiable.Length > 0
            ? verifiable
            : throw new AuthConfigurationException(Key, $"no algorithm listed is one Berth can verify ({string.Join(", ", Ignored(configured))}), "
                + $"so no token could be accepted; list one of {string.Join(", ", Default)}");
    }

    /// <summary>The names of <paramref name="configured"/> that registry:3 knows and Berth cannot verify, each with why.</summary>
    public static IEnumerable<string> Ignored(IReadOnlyList<string>? configured) =>
        (configured ?? []).Where(Unverifiable.ContainsKey).Distinct(StringComparer.Ordinal).Select(name => $"'{name}': {Unverifiable[name]}");

    private static void CheckKnown(string name, string key)
    {
        if (Default.Contains(name, StringComparer.Ordinal) || Unverifiable.ContainsKey(name))
        {
            return;
        }

        var hint = Default.Concat(Unverifiable.Keys).FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
        throw new AuthConfigurationException(key, hint is null
            ? $"unknown algorithm '{name}'; Berth verifies {string.Join(", ", Default)}"
            : $"unknown algorithm '{name}'; names are case-sensitive: did you mean '{hint}'?");
    }
}
