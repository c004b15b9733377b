namespace Berth.Auth;

/// <summary>How callers prove who they are: registry:2's <c>auth</c> section. None means everyone is anonymous.</summary>
public abstract record AuthSettings;

/// <summary><c>auth.htpasswd</c>: HTTP Basic against a bcrypt htpasswd file.</summary>
public sealed record HtpasswdAuthSettings(string Realm, string Path) : AuthSettings;

/// <summary><c>auth.token</c>: Bearer JWTs issued by a Docker token server (the Docker token specification).</summary>
/// <param name="RootCertBundle">PEM certificates whose keys sign tokens (x5c chains are verified against them).</param>
/// <param name="Jwks">A JSON Web Key Set file with further signing keys, matched by <c>kid</c>.</param>
public sealed record TokenAuthSettings(string Realm, string Service, string Issuer, string? RootCertBundle, string? Jwks) : AuthSettings;
