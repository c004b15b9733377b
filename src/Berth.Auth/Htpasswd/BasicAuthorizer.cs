using Berth.Auth.Policy;
using Berth.Core;
using Microsoft.Extensions.Logging;

namespace Berth.Auth.Htpasswd;

/// <summary>
/// No auth method, or <c>auth.htpasswd</c>; either with or without an <c>access</c> policy. Who the caller is comes
/// from Basic credentials (when htpasswd is configured), what they may do from the policy. An anonymous caller who
/// is refused is challenged (401) when logging in is possible, and denied (403) when it is not; a known user who is
/// refused is denied.
/// </summary>
internal sealed class BasicAuthorizer : IRegistryAuthorizer
{
    private const string DeniedMessage = "requested access to the resource is denied";

    private readonly HtpasswdCredentials? _credentials;
    private readonly AuthDecision.Unauthorized? _loginRequired;
    private readonly AuthDecision.Unauthorized? _loginFailed;
    private readonly IGrantPolicy _policy;
    private readonly ILogger _logger;

    public BasicAuthorizer(HtpasswdCredentials? credentials, string? realm, IGrantPolicy policy, ILogger logger)
    {
        _credentials = credentials;
        _policy = policy;
        _logger = logger;
        if (credentials is not null)
        {
            var challenge = "Basic realm=" + AuthorizationHeader.Quote(realm ?? "");
            _loginRequired = new AuthDecision.Unauthorized(challenge, "authentication required");
            // One message for unknown users, wrong passwords and malformed headers: nothing to tell them apart.
            _loginFailed = new AuthDecision.Unauthorized(challenge, "authentication failed");
        }
    }

    public ValueTask<AuthDecision> AuthorizeAsync(string? authorization, IReadOnlyList<AccessScope> required, RequestOrigin origin,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Anonymous;
        // Without an auth method the header means nothing (registry:2 ignores it too).
        if (_credentials is not null && !string.IsNullOrEmpty(authorization) && !AuthorizationHeader.IsEmptyBasic(authorization))
        {
            if (!AuthorizationHeader.TryParseBasic(authorization, out var user, out var password))
            {
                return new(_loginFailed!);
            }

            if (!_credentials.Verify(user, password))
            {
                AuthLog.AuthenticationFailed(_logger, user);
                return new(_loginFailed!);
            }

            caller = _policy.CallerFor(user);
        }

        return new(Decide(caller, required));
    }

    public bool CanPull(Caller caller, RepositoryName repository) =>
        _policy.Grants(caller, AccessScope.Repository(repository, RegistryAction.Pull));

    private AuthDecision Decide(Caller caller, IReadOnlyList<AccessScope> required)
    {
        if (required.Count == 0)
        {
            // The /v2/ ping: where clients learn they should log in.
            return caller.IsAnonymous && _loginRequired is not null ? _loginRequired : new AuthDecision.Allowed(caller);
        }

        foreach (var scope in required)
        {
            if (!_policy.Grants(caller, scope))
            {
                return caller.IsAnonymous && _loginRequired is not null
                    ? _loginRequired
                    : new AuthDecision.Denied(caller, DeniedMessage);
            }
        }

        return new AuthDecision.Allowed(caller);
    }
}
