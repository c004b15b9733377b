using Berth.Auth;
using Berth.Auth.Token;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>auth</c>, a selector section as in registry:2: exactly one kind (<c>htpasswd</c>, <c>token</c> or
/// <c>none</c>) with its parameters. <c>REGISTRY_AUTH=htpasswd</c> selects the kind, <c>REGISTRY_AUTH_HTPASSWD_*</c>
/// fill it in.
/// </summary>
internal static class AuthSettingsBinder
{
    private const string Supported = "Berth supports auth.htpasswd, auth.token and auth: none";

    /// <summary>
    /// registry:3's explicit "no authentication" (app.go skips the access controller when the kind equals "none"
    /// ignoring case), so <c>REGISTRY_AUTH=none</c> can switch off the file's kind. registry:2 has no such kind.
    /// </summary>
    private const string None = "none";

    /// <returns>Null when no kind is configured, or the kind is <c>none</c>: every caller is anonymous.</returns>
    public static AuthSettings? Bind(ConfigSection auth)
    {
        var kinds = auth.Keys.ToList();
        if (kinds.Count == 0)
        {
            return null;
        }

        if (kinds.Count > 1)
        {
            throw new ConfigurationException(auth.Path, $"exactly one auth kind may be configured, found {string.Join(", ", kinds)} "
                + "(a REGISTRY_AUTH_<KIND>_* variable adds a kind; REGISTRY_AUTH=<kind> switches to it)");
        }

        var kind = kinds[0];
        var section = auth.GetSection(kind);
        if (string.Equals(kind, None, StringComparison.OrdinalIgnoreCase))
        {
            WarnIgnoredParameters(section);
            return null;
        }

        AuthSettings settings = kind switch
        {
            "htpasswd" => new HtpasswdAuthSettings(
                Required(section, "realm", "the realm named in the login challenge"),
                Required(section, "path", "the htpasswd file (make one with: berth htpasswd -Bbn USER PASSWORD)")),
            "token" => BindToken(section),
            // silly accepts any credentials: a development stub that must never guard a real registry.
            "silly" => throw new ConfigurationException(section.Path, $"a test stub that lets anyone in; not supported. {Supported}"),
            _ => throw new ConfigurationException(section.Path, $"unknown auth kind '{kind}'; {Supported}"),
        };

        section.WarnUnknownKeys();
        return settings;
    }

    /// <summary>registry:3 hands the parameters of <c>none</c> to nobody; Berth says so instead of dropping them silently.</summary>
    private static void WarnIgnoredParameters(ConfigSection none)
    {
        foreach (var key in none.Keys)
        {
            none.Warn(key, "ignored: auth none means no authentication and takes no parameters");
        }
    }

    private static TokenAuthSettings BindToken(ConfigSection token)
    {
        var settings = new TokenAuthSettings(
            Required(token, "realm", "the token server's URL"),
            Required(token, "service", "the service name tokens are issued for"),
            Required(token, "issuer", "the issuer tokens must carry"),
            Optional(token, "rootcertbundle"), Optional(token, "jwks"))
        {
            SigningAlgorithms = SigningAlgorithms(token),
            AutoRedirectPath = AutoRedirectPath(token),
        };
        if (settings.RootCertBundle is null && settings.Jwks is null)
        {
            throw new ConfigurationException(token.KeyPath("rootcertbundle"),
                "missing; token auth needs the token server's signing certificates (rootcertbundle) or keys (jwks)");
        }

        return settings;
    }

    /// <summary>Checked here, so that <c>config check</c> names a bad algorithm as the start would.</summary>
    private static IReadOnlyList<string>? SigningAlgorithms(ConfigSection token)
    {
        var names = token.GetStringList("signingalgorithms");
        try
        {
            TokenSigningAlgorithms.Resolve(names);
        }
        catch (AuthConfigurationException e)
        {
            throw new ConfigurationException(e.Key, e.Message);
        }

        foreach (var ignored in TokenSigningAlgorithms.Ignored(names))
        {
            token.Warn("signingalgorithms", $"{ignored}; a token signed so is refused");
        }

        return names is { Count: > 0 } ? names : null;
    }

    /// <summary>The path when <c>autoredirect</c> is on; registry:3 reads <c>autoredirectpath</c> only then.</summary>
    private static string? AutoRedirectPath(ConfigSection token)
    {
        var path = Optional(token, "autoredirectpath");
        if (!token.GetBool("autoredirect", fallback: false))
        {
            if (path is not null)
            {
                token.Warn("autoredirectpath", "has no effect while auth.token.autoredirect is off; ignored");
            }

            return null;
        }

        if (path is null)
        {
            return TokenAuthSettings.DefaultAutoRedirectPath;
        }

        // The realm is quoted into a header and followed by clients as a URL: a path that would need escaping is a
        // mistake to name now, not a broken login later.
        if (path.Any(c => c is '?' or '#' or '"' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ConfigurationException(token.KeyPath("autoredirectpath"),
                $"expected a URL path such as {TokenAuthSettings.DefaultAutoRedirectPath}, got '{path}'");
        }

        // registry:3 builds the URL with Go's net/url, which puts the missing slash in front of a relative path.
        return path.StartsWith('/') ? path : "/" + path;
    }

    private static string Required(ConfigSection section, string key, string what) =>
        Optional(section, key) ?? throw new ConfigurationException(section.KeyPath(key), $"missing; set it to {what}");

    private static string? Optional(ConfigSection section, string key) =>
        section.GetString(key) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
