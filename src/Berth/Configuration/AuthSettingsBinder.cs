using Berth.Auth;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>auth</c>, a selector section as in registry:2: exactly one kind (<c>htpasswd</c> or <c>token</c>) with its
/// parameters. <c>REGISTRY_AUTH=htpasswd</c> selects the kind, <c>REGISTRY_AUTH_HTPASSWD_*</c> fill it in.
/// </summary>
internal static class AuthSettingsBinder
{
    private const string Supported = "Berth supports auth.htpasswd and auth.token";

    /// <returns>Null when no kind is configured: every caller is anonymous, as in registry:2.</returns>
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

    private static TokenAuthSettings BindToken(ConfigSection token)
    {
        var settings = new TokenAuthSettings(
            Required(token, "realm", "the token server's URL"),
            Required(token, "service", "the service name tokens are issued for"),
            Required(token, "issuer", "the issuer tokens must carry"),
            Optional(token, "rootcertbundle"), Optional(token, "jwks"));
        if (settings.RootCertBundle is null && settings.Jwks is null)
        {
            throw new ConfigurationException(token.KeyPath("rootcertbundle"),
                "missing; token auth needs the token server's signing certificates (rootcertbundle) or keys (jwks)");
        }

        token.Unimplemented("autoredirect");
        token.Unimplemented("autoredirectpath");
        token.Unimplemented("signingalgorithms");
        return settings;
    }

    private static string Required(ConfigSection section, string key, string what) =>
        Optional(section, key) ?? throw new ConfigurationException(section.KeyPath(key), $"missing; set it to {what}");

    private static string? Optional(ConfigSection section, string key) =>
        section.GetString(key) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
