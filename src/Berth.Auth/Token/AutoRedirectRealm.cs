namespace Berth.Auth.Token;

/// <summary>
/// <c>auth.token.autoredirect</c>: the realm is the request's own host plus <c>autoredirectpath</c>, for a token server
/// that shares the registry's address behind a proxy. As in registry:3 the scheme is <c>https</c> unless
/// <c>X-Forwarded-Proto</c> says otherwise (the request's own scheme is not used: behind a proxy that ends TLS it is
/// plain HTTP, while the client speaks HTTPS), and the host is always the <c>Host</c> header (registry:3 ignores
/// <c>X-Forwarded-Host</c> here).
/// </summary>
internal static class AutoRedirectRealm
{
    /// <returns>The realm, or null when the request named no host (an HTTP/1.0 request may not).</returns>
    public static string? For(RequestOrigin origin, string path)
    {
        if (string.IsNullOrEmpty(origin.Host))
        {
            return null;
        }

        return Scheme(origin.ForwardedProto) + "://" + origin.Host + path;
    }

    /// <summary>
    /// The first value of the header (each proxy on the way may append one), when it is http or https. registry:3 takes
    /// the header verbatim; anything else would make a realm no client can follow, so it counts as absent here.
    /// </summary>
    private static string Scheme(string? forwardedProto)
    {
        var first = forwardedProto?.Split(',')[0].Trim();
        return string.Equals(first, "http", StringComparison.OrdinalIgnoreCase) ? "http" : "https";
    }
}
