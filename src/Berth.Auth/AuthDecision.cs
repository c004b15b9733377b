namespace Berth.Auth;

/// <summary>The answer to one request.</summary>
public abstract record AuthDecision
{
    private AuthDecision()
    {
    }

    /// <summary>Go ahead, as <paramref name="Caller"/>.</summary>
    public sealed record Allowed(Caller Caller) : AuthDecision;

    /// <summary>401: no or bad credentials. <paramref name="WwwAuthenticate"/> is the challenge header's value.</summary>
    public sealed record Unauthorized(string WwwAuthenticate, string Message) : AuthDecision;

    /// <summary>403: the caller is known but may not do this.</summary>
    public sealed record Denied(Caller Caller, string Message) : AuthDecision;
}
