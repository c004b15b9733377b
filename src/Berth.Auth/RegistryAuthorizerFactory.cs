using Berth.Auth.Htpasswd;
using Berth.Auth.Policy;
using Berth.Auth.Token;
using Microsoft.Extensions.Logging;

namespace Berth.Auth;

/// <summary>
/// Builds the one <see cref="IRegistryAuthorizer"/> of a server from its <c>auth</c> and <c>access</c> sections.
/// Everything is checked here, at startup: files are read, keys loaded, globs compiled, groups resolved.
/// </summary>
public static class RegistryAuthorizerFactory
{
    /// <param name="auth">The <c>auth</c> section; null when there is none (everyone is anonymous).</param>
    /// <param name="access">The <c>access</c> section; null when there is none (registry:2's all-or-nothing).</param>
    /// <exception cref="AuthConfigurationException">The configuration cannot work; the message says why.</exception>
    public static IRegistryAuthorizer Create(AuthSettings? auth, AccessPolicySettings? access, ILoggerFactory loggers, TimeProvider time) =>
        Create(auth, access, loggers, time, BCryptPasswordVerifier.Instance);

    internal static IRegistryAuthorizer Create(
        AuthSettings? auth, AccessPolicySettings? access, ILoggerFactory loggers, TimeProvider time, IPasswordVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        var logger = loggers.CreateLogger("Berth.Auth");
        var policy = access is null ? null : AccessPolicy.Compile(access);
        switch (auth)
        {
            case null:
                if (access is not null)
                {
                    WarnRulesNeedingLogin(access, logger);
                }

                return new BasicAuthorizer(null, null, policy ?? (IGrantPolicy)OpenPolicy.Everyone, logger);

            case HtpasswdAuthSettings htpasswd:
                Require(htpasswd.Realm, "auth.htpasswd.realm");
                Require(htpasswd.Path, "auth.htpasswd.path");
                var credentials = new HtpasswdCredentials(htpasswd.Path, verifier, time, logger);
                return new BasicAuthorizer(credentials, htpasswd.Realm, policy ?? (IGrantPolicy)OpenPolicy.AuthenticatedUsers, logger);

            case TokenAuthSettings token:
                if (access is not null)
                {
                    throw new AuthConfigurationException(
                        "access",
                        "the access section cannot be combined with token auth: tokens carry their own grants (the access claim), so set them in the token server");
                }

                Require(token.Realm, "auth.token.realm");
                Require(token.Service, "auth.token.service");
                Require(token.Issuer, "auth.token.issuer");
                var validator = new TokenValidator(token, TokenKeyRing.Load(token), time, logger);
                return new TokenAuthorizer(token, validator);

            default:
                throw new AuthConfigurationException("auth", $"unsupported auth method {auth.GetType().Name}; use htpasswd or token");
        }
    }

    private static void Require(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new AuthConfigurationException(key, $"{key} must be set");
        }
    }

    private static void WarnRulesNeedingLogin(AccessPolicySettings access, ILogger logger)
    {
        for (var i = 0; i < access.Rules.Count; i++)
        {
            if (access.Rules[i].Users.Count > 0 || access.Rules[i].Groups.Count > 0)
            {
                AuthLog.RuleNeedsLogin(logger, i);
            }
        }
    }
}
