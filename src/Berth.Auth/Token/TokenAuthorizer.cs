using Berth.Auth.Policy;
using Berth.Core;

namespace Berth.Auth.Token;

/// <summary>
/// <c>auth.token</c>: every request carries a Bearer token whose <c>access</c> claim must grant every required
/// scope. Anything short of that is a 401 whose challenge tells the client which scopes to ask the token server
/// for (Docker token specification); there is no 403 here, as in registry:2.
/// </summary>
internal sealed class TokenAuthorizer : IRegistryAuthorizer
{
    private readonly TokenAuthSettings _settings;
    private readonly TokenValidator _validator;

    public TokenAuthorizer(TokenAuthSettings settings, TokenValidator validator)
    {
        _settings = settings;
        _validator = validator;
    }

    public async ValueTask<AuthDecision> AuthorizeAsync(string? authorization, IReadOnlyList<AccessScope> required, RequestOrigin origin,
        CancellationToken cancellationToken)
    {
        var token = authorization is null ? null : AuthorizationHeader.Parameter(authorization, "Bearer");
        if (token is null)
        {
            return Challenge(origin, required, null, "authentication required");
        }

        var caller = await _validator.ValidateAsync(token);
        if (caller is null)
        {
            return Challenge(origin, required, BearerChallenge.InvalidToken, "invalid or expired token");
        }

        foreach (var scope in required)
        {
            if (!TokenGrants.Instance.Grants(caller, scope))
            {
                return Challenge(origin, required, BearerChallenge.InsufficientScope, "the token does not grant the requested access");
            }
        }

        return new AuthDecision.Allowed(caller);
    }

    public bool CanPull(Caller caller, RepositoryName repository) =>
        TokenGrants.Instance.Grants(caller, AccessScope.Repository(repository, RegistryAction.Pull));

    private AuthDecision.Unauthorized Challenge(RequestOrigin origin, IReadOnlyList<AccessScope> required, string? error, string message) =>
        new(BearerChallenge.Format(Realm(origin), _settings.Service, required, error), message);

    /// <summary>The configured realm, or with autoredirect the request's own host and the path (when it named a host).</summary>
    private string Realm(RequestOrigin origin) =>
        _settings.AutoRedirectPath is { } path && AutoRedirectRealm.For(origin, path) is { } own ? own : _settings.Realm;
}
