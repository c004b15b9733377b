using System.Net;
using System.Net.Http.Headers;

namespace Berth.Proxy.Upstream;

/// <summary>
/// Answers an upstream's challenges as docker does, below the HttpClient that talks to it: a request goes out with
/// the token cached for its scope (or Basic, once the upstream asked for it); on 401 it reads the challenge, gets a
/// token from the realm for the challenge's service and scope (with the credentials, if any, as Basic) or takes
/// Basic, and sends the request once more. Only GET and HEAD without a body pass here, so a request can be sent twice.
/// </summary>
internal sealed class UpstreamAuthenticator(IUpstreamCredentialSource? credentials, TokenCache tokens, TimeProvider time) : DelegatingHandler
{
    private static readonly TimeSpan TokenRequestTimeout = TimeSpan.FromSeconds(30);
    private volatile bool _basicAsked;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = request.RequestUri is { } uri ? UpstreamScope.For(uri) : null;
        var sentToken = await AuthorizeAsync(request, scope, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || AuthenticationChallenge.Select(response.Headers.WwwAuthenticate) is not { } challenge)
        {
            return response;
        }

        AuthenticationHeaderValue answer;
        if (challenge.IsBasic)
        {
            if (_basicAsked || await CredentialsAsync(cancellationToken) is not { } basic)
            {
                return response;
            }

            _basicAsked = true;
            answer = basic.BasicHeader();
        }
        else
        {
            var key = TokenKey(challenge, scope);
            if (sentToken is not null)
            {
                tokens.Forget(key);
            }

            var token = await tokens.GetAsync(key, () => RequestTokenAsync(challenge, scope), cancellationToken);
            answer = new AuthenticationHeaderValue(AuthenticationChallenge.Bearer, token.Value);
        }

        response.Dispose();
        using var again = Copy(request);
        again.Headers.Authorization = answer;
        return await base.SendAsync(again, cancellationToken);
    }

    /// <returns>The token sent, if one was.</returns>
    private async ValueTask<BearerToken?> AuthorizeAsync(HttpRequestMessage request, string? scope, CancellationToken cancellationToken)
    {
        if (tokens.Cached(ScopeKey(scope)) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(AuthenticationChallenge.Bearer, token.Value);
            return token;
        }

        if (_basicAsked && await CredentialsAsync(cancellationToken) is { } basic)
        {
            request.Headers.Authorization = basic.BasicHeader();
        }

        return null;
    }

    private ValueTask<UpstreamCredentials?> CredentialsAsync(CancellationToken cancellationToken) =>
        credentials?.GetAsync(cancellationToken) ?? ValueTask.FromResult<UpstreamCredentials?>(null);

    /// <summary>
    /// Tokens are kept by the scope the request needs, whatever realm granted them: an upstream has one token server,
    /// and the next request for the repository finds its token without a 401 first.
    /// </summary>
    private static string ScopeKey(string? scope) => scope ?? "";

    /// <summary>The request's own scope first, the one <see cref="Authorize"/> looks up; the challenge's only for <c>/v2/</c>.</summary>
    private static string TokenKey(AuthenticationChallenge challenge, string? scope) => ScopeKey(scope ?? challenge["scope"]);

    private async Task<BearerToken> RequestTokenAsync(AuthenticationChallenge challenge, string? scope)
    {
        if (challenge["realm"] is not { } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri)
            || realmUri.Scheme is not ("http" or "https"))
        {
            throw new UpstreamException("the upstream asked for a Bearer token without an http(s) realm");
        }

        // The token server is another host; its request goes out without the retry above, and without a cancellation
        // of one waiting pull, since every pull of this scope waits for the answer.
        using var timeout = new CancellationTokenSource(TokenRequestTimeout, time);
        using var request = new HttpRequestMessage(HttpMethod.Get, TokenRequestUri(realmUri, challenge["service"], challenge["scope"] ?? scope));
        if (await CredentialsAsync(timeout.Token) is { } basic)
        {
            request.Headers.Authorization = basic.BasicHeader();
        }

        using var response = await base.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            throw new UpstreamException(refused ? UpstreamFailure.Refused : UpstreamFailure.Unavailable, $"the token server {realmUri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}"
                + (response.StatusCode == HttpStatusCode.Unauthorized ? ": check the upstream's username and password" : ""));
        }

        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        return BearerToken.Parse(body, time.GetUtcNow());
    }

    /// <summary>The realm with <c>service</c> and each space-separated <c>scope</c> as its own parameter, as docker asks.</summary>
    internal static Uri TokenRequestUri(Uri realm, string? service, string? scope)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        foreach (var one in (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query.Add("scope=" + Uri.EscapeDataString(one));
        }

        var builder = new UriBuilder(realm);
        var existing = builder.Query.TrimStart('?');
        builder.Query = string.Join('&', existing.Length > 0 ? [existing, .. query] : query);
        return builder.Uri;
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        return copy;
    }
}
