namespace Berth.Auth;

/// <summary>
/// Berth's <c>access</c> section: who may pull, push and delete which repositories. Without it, every
/// authenticated caller may do everything (registry:2's behaviour). With it, nothing is allowed that no rule grants.
/// </summary>
/// <param name="Groups">Group name to member user names.</param>
public sealed record AccessPolicySettings(IReadOnlyDictionary<string, IReadOnlyList<string>> Groups, IReadOnlyList<AccessRule> Rules);

/// <summary>
/// One grant. <paramref name="Repositories"/> are globs: <c>*</c> matches within one path segment, <c>**</c> across
/// segments (<c>team-a/**</c>). <paramref name="Users"/> may hold <c>*</c> for every authenticated user.
/// </summary>
public sealed record AccessRule(
    IReadOnlyList<string> Repositories,
    IReadOnlyList<RegistryAction> Actions,
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Groups,
    bool Anonymous);
