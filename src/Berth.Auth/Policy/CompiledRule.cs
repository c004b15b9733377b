using System.Collections.Frozen;
using Berth.Core.Patterns;

namespace Berth.Auth.Policy;

/// <summary>One <c>access.rules[i]</c>, checked and compiled at startup.</summary>
internal sealed class CompiledRule
{
    private readonly RepositoryGlob[] _repositories;

    private CompiledRule(RepositoryGlob[] repositories, FrozenSet<RegistryAction> actions, FrozenSet<string> users, FrozenSet<string> groups, bool anonymous)
    {
        _repositories = repositories;
        Actions = actions;
        Users = users;
        Groups = groups;
        Anonymous = anonymous;
        AnyUser = users.Contains("*");
    }

    public FrozenSet<RegistryAction> Actions { get; }

    public FrozenSet<string> Users { get; }

    public FrozenSet<string> Groups { get; }

    public bool Anonymous { get; }

    /// <summary><c>users: ["*"]</c>: every authenticated user.</summary>
    public bool AnyUser { get; }

    public static CompiledRule Compile(AccessRule rule, string key, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        if (rule.Repositories.Count == 0)
        {
            throw new AuthConfigurationException($"{key}.repositories", "a rule needs at least one repository pattern");
        }

        var globs = new RepositoryGlob[rule.Repositories.Count];
        for (var i = 0; i < globs.Length; i++)
        {
            if (!RepositoryGlob.TryParse(rule.Repositories[i], out var glob, out var error))
            {
                throw new AuthConfigurationException($"{key}.repositories", error);
            }

            globs[i] = glob!;
        }

        if (rule.Actions.Count == 0)
        {
            throw new AuthConfigurationException($"{key}.actions", "a rule needs at least one action (pull, push, delete)");
        }

        foreach (var group in rule.Groups)
        {
            if (!groups.ContainsKey(group))
            {
                throw new AuthConfigurationException($"{key}.groups", $"group '{group}' is not defined under access.groups");
            }
        }

        if (!rule.Anonymous && rule.Users.Count == 0 && rule.Groups.Count == 0)
        {
            throw new AuthConfigurationException(key, "a rule must name users, groups or anonymous: true");
        }

        return new CompiledRule(
            globs,
            rule.Actions.ToFrozenSet(),
            rule.Users.ToFrozenSet(StringComparer.Ordinal),
            rule.Groups.ToFrozenSet(StringComparer.Ordinal),
            rule.Anonymous);
    }

    public bool Covers(Caller caller)
    {
        if (Anonymous)
        {
            return true;
        }

        if (caller.IsAnonymous || caller.User is null)
        {
            return false;
        }

        if (AnyUser || Users.Contains(caller.User))
        {
            return true;
        }

        foreach (var group in caller.Groups)
        {
            if (Groups.Contains(group))
            {
                return true;
            }
        }

        return false;
    }

    public bool Matches(string repository) => RepositoryGlob.MatchesAny(_repositories, repository);
}
