namespace Berth.Auth;

/// <summary>How callers prove who they are: registry:2's <c>auth</c> section. None means everyone is anonymous.</summary>
public abstract record AuthSettings;

/// <summary><c>auth.htpasswd</c>: HTTP Basic against a bcrypt htpasswd file.</summary>
public sealed record HtpasswdAuthSettings(string Realm, string Path) : AuthSettings;

/// <summary><c>auth.token</c>: Bearer JWTs issued by a Docker token server (the Docker token specification).</summary>
/// <param name="RootCertBundle">PEM certificates whose keys sign tokens (x5c chains are verified against them).</param>
/// <param name="Jwks">A JSON Web Key Set file with further signing keys, matched by <c>kid</c>.</param>
public sealed record TokenAuthSettings(string Realm, string Service, string Issuer, string? RootCertBundle, string? Jwks) : AuthSettings
{
    /// <summary>registry:3's <c>autoredirectpath</c> when <c>autoredirect</c> is on and no path is given.</summary>
    public const string DefaultAutoRedirectPath = "/auth/token";

    /// <summary>
    /// <c>signingalgorithms</c>: the JWS algorithms a token may be signed with, as configured; null or empty means
    /// <see cref="Token.TokenSigningAlgorithms.Default"/>.
    /// </summary>
    public IReadOnlyList<string>? SigningAlgorithms { get; init; }

    /// <summary>
    /// <c>autoredirectpath</c> when <c>autoredirect</c> is on, else null: the challenge's realm is then the request's
    /// own host and this path instead of <see cref="Realm"/>.
    /// </summary>
    public string? AutoRedirectPath { get; init; }
}
