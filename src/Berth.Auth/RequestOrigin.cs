namespace Berth.Auth;

/// <summary>
/// Where a request says it was sent, as the HTTP layer read it: the <c>Host</c> header (or HTTP/2 <c>:authority</c>)
/// and the <c>X-Forwarded-Proto</c> header, raw. What <c>auth.token.autoredirect</c> builds the realm from.
/// <c>default</c> is a request whose origin is unknown.
/// </summary>
public readonly record struct RequestOrigin(string? Host, string? ForwardedProto);
