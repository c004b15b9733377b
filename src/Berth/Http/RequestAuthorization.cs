using Berth.Auth;
using Berth.Core.Errors;

namespace Berth.Http;

/// <summary>
/// Asks the authorizer about every request before a handler runs, answers 401 (with the challenge) or 403 itself,
/// and leaves the caller on the request for handlers that filter by it (the catalog). Without any auth or access
/// configuration there is no authorizer and nothing to do.
/// </summary>
internal sealed class RequestAuthorization(IRegistryAuthorizer? authorizer)
{
    private static readonly object CallerKey = new();

    public bool IsEnabled => authorizer is not null;

    /// <summary>The authorizer itself, for the web page, which asks it the API's questions; null on an open registry.</summary>
    public IRegistryAuthorizer? Authorizer => authorizer;

    /// <returns>False when the request was answered with 401 or 403 and must go no further.</returns>
    public async ValueTask<bool> AuthorizeAsync(HttpContext context, V2Route route)
    {
        if (authorizer is null)
        {
            return true;
        }

        var required = RequiredAccess.For(route, context.Request.Method, context.Request.Query);
        var request = context.Request;
        var decision = await authorizer.AuthorizeAsync(request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null,
            required, OriginOf(request), context.RequestAborted);
        switch (decision)
        {
            case AuthDecision.Allowed allowed:
                context.Items[CallerKey] = allowed.Caller;
                return true;
            case AuthDecision.Unauthorized unauthorized:
                context.Response.Headers.WWWAuthenticate = unauthorized.WwwAuthenticate;
                await ErrorWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, RegistryErrorCode.Unauthorized,
                    "authentication required", unauthorized.Message);
                return false;
            case AuthDecision.Denied denied:
                await ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, RegistryErrorCode.Denied,
                    "requested access to the resource is denied", denied.Message);
                return false;
            default:
                throw new InvalidOperationException("unknown authorization decision " + decision);
        }
    }

    /// <summary>
    /// Where a request was sent, as the authorizer is told it. The raw headers, not a rewritten Host or scheme: registry:3
    /// builds its autoredirect realm from exactly these.
    /// </summary>
    public static RequestOrigin OriginOf(HttpRequest request) =>
        new(request.Host.Value, request.Headers["X-Forwarded-Proto"].ToString());

    /// <summary>
    /// The authenticated user name of the request's caller, for the access log; null when there is none. Items is not
    /// touched without an authorizer: on an open registry that would allocate the dictionary on every request.
    /// </summary>
    public string? CallerName(HttpContext context) =>
        authorizer is not null && context.Items.TryGetValue(CallerKey, out var caller) && caller is Caller { User: { Length: > 0 } user }
            ? user
            : null;

    /// <summary>Whether the request's caller may pull <paramref name="repository"/>; always true without an authorizer.</summary>
    public bool CanPull(HttpContext context, Core.RepositoryName repository) =>
        authorizer is null || context.Items[CallerKey] is not Caller caller || authorizer.CanPull(caller, repository);
}
