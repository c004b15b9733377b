namespace Berth.Auth;

/// <summary>Who made a request: a user with groups, a token's holder with its grants, or nobody (anonymous).</summary>
/// <param name="TokenAccess">For token auth, the token's <c>access</c> claim: all the caller may do.</param>
public sealed record Caller(string? User, IReadOnlySet<string> Groups, IReadOnlyList<TokenAccess>? TokenAccess)
{
    public static Caller Anonymous { get; } = new(null, new HashSet<string>(), null);

    public bool IsAnonymous => User is null && TokenAccess is null;
}

/// <summary>One entry of a token's <c>access</c> claim.</summary>
public sealed record TokenAccess(string Type, string Name, IReadOnlyList<string> Actions);
