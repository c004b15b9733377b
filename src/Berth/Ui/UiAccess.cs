using Berth.Auth;
using Berth.Core;
using Berth.Core.Errors;
using Berth.Http;

namespace Berth.Ui;

/// <summary>
/// The page's view of the access policy: the same authorizer and rules as the API, asked the same questions, so the
/// page never shows or does more than the caller could through <c>/v2/</c>. The page sends the API's own
/// <c>Authorization</c> header; there is no cookie, and so no ambient credential a forged request could ride on.
/// </summary>
internal sealed class UiAccess(IRegistryAuthorizer? authorizer, AuthSettings? auth, bool deleteEnabled)
{
    /// <summary>The header every state-changing request of the page carries; a cross-site form cannot set it.</summary>
    public const string RequestHeader = "X-Berth-Ui";

    public bool DeleteEnabled => deleteEnabled;

    /// <summary><c>none</c>, <c>htpasswd</c> or <c>token</c>: how the page tells a visitor to log in.</summary>
    public string AuthMethod => auth switch
    {
        HtpasswdAuthSettings => "htpasswd",
        TokenAuthSettings => "token",
        _ => "none",
    };

    public string? Realm => auth switch
    {
        HtpasswdAuthSettings htpasswd => htpasswd.Realm,
        TokenAuthSettings token => token.Realm,
        _ => null,
    };

    /// <summary>
    /// Who is asking: anonymous without credentials (whatever the policy lets anonymous callers pull is shown), else the
    /// user the credentials prove.
    /// </summary>
    /// <exception cref="RegistryException">UNAUTHORIZED for credentials that prove nobody.</exception>
    public async ValueTask<Caller> CallerAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (authorizer is null || header.Length == 0)
        {
            return Caller.Anonymous;
        }

        // No scope: "any authenticated caller", the question /v2/ asks. The challenge header is not passed on, so that
        // the browser shows the page's login form rather than its own password prompt.
        return await authorizer.AuthorizeAsync(header, [], RequestAuthorization.OriginOf(context.Request), context.RequestAborted) switch
        {
            AuthDecision.Allowed allowed => allowed.Caller,
            AuthDecision.Denied denied => denied.Caller,
            AuthDecision.Unauthorized unauthorized => throw new RegistryException(RegistryErrorCode.Unauthorized, unauthorized.Message),
            var other => throw new InvalidOperationException("unknown authorization decision " + other),
        };
    }

    public bool CanPull(Caller caller, RepositoryName repository) => authorizer is null || authorizer.CanPull(caller, repository);

    /// <summary>Whether the request's credentials carry the delete right on <paramref name="repository"/>, and deletion is on.</summary>
    public async ValueTask<bool> CanDeleteAsync(HttpContext context, RepositoryName repository)
    {
        if (!deleteEnabled)
        {
            return false;
        }

        if (authorizer is null)
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var decision = await authorizer.AuthorizeAsync(header.Length == 0 ? null : header,
            [AccessScope.Repository(repository, RegistryAction.Delete)], RequestAuthorization.OriginOf(context.Request), context.RequestAborted);
        return decision is AuthDecision.Allowed;
    }

    /// <summary>
    /// Refuses a state-changing request that did not come from the page itself: it must carry <see cref="RequestHeader"/>
    /// (which only a same-origin script can add without a CORS preflight, and Berth approves none), and an
    /// <c>Origin</c>, when the browser sends one, must be this host.
    /// </summary>
    /// <exception cref="RegistryException">DENIED.</exception>
    public static void RequireSameOrigin(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers[RequestHeader].ToString() != "1")
        {
            throw new RegistryException(RegistryErrorCode.Denied, $"a change made by the page must carry the {RequestHeader} header");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            throw new RegistryException(RegistryErrorCode.Denied, "a change made by the page must come from the page's own origin");
        }
    }
}
