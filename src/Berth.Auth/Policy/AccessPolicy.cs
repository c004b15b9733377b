using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Berth.Auth.Policy;

/// <summary>
/// The compiled <c>access</c> section. A scope is granted when some rule covers the caller, one of its globs matches
/// the repository, and it lists the action. Anonymous grants apply to everyone: logging in never loses a right.
/// Actions are literal: a rule granting push does not grant pull (docker asks for both when it pushes, so push
/// rules normally list pull too). The catalog (<c>registry:catalog:*</c>) is open to every authenticated user and,
/// when some rule lets anonymous callers pull, to anonymous ones; it is filtered by what the caller may pull.
/// </summary>
internal sealed class AccessPolicy : IGrantPolicy
{
    private readonly CompiledRule[] _rules;
    private readonly FrozenDictionary<string, FrozenSet<string>> _groupsByUser;
    private readonly ConcurrentDictionary<string, Caller> _callers = new(StringComparer.Ordinal);
    private readonly bool _anonymousPullsSomething;

    private AccessPolicy(CompiledRule[] rules, FrozenDictionary<string, FrozenSet<string>> groupsByUser)
    {
        _rules = rules;
        _groupsByUser = groupsByUser;
        _anonymousPullsSomething = rules.Any(r => r.Anonymous && r.Actions.Contains(RegistryAction.Pull));
    }

    /// <exception cref="AuthConfigurationException">A rule is unusable: bad glob, unknown group, nothing granted.</exception>
    public static AccessPolicy Compile(AccessPolicySettings settings)
    {
        var rules = new CompiledRule[settings.Rules.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = CompiledRule.Compile(settings.Rules[i], $"access.rules[{i}]", settings.Groups);
        }

        var groupsByUser = settings.Groups
            .SelectMany(g => g.Value.Select(user => (User: user, Group: g.Key)))
            .GroupBy(m => m.User, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(m => m.Group).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
        return new AccessPolicy(rules, groupsByUser);
    }

    public Caller CallerFor(string user) =>
        _callers.GetOrAdd(user, static (name, groups) =>
            new Caller(name, groups.TryGetValue(name, out var set) ? set : FrozenSet<string>.Empty, null), _groupsByUser);

    public bool Grants(Caller caller, AccessScope scope)
    {
        if (scope.Type == AccessScope.RegistryType)
        {
            return scope.Name == AccessScope.Catalog.Name && (!caller.IsAnonymous || _anonymousPullsSomething);
        }

        if (scope.Type != AccessScope.RepositoryType)
        {
            return false;
        }

        if (scope.Action == "*")
        {
            return Enum.GetValues<RegistryAction>().All(a => Grants(caller, scope.Name, a));
        }

        return ParseAction(scope.Action) is { } action && Grants(caller, scope.Name, action);
    }

    private static RegistryAction? ParseAction(string action) => action switch
    {
        "pull" => RegistryAction.Pull,
        "push" => RegistryAction.Push,
        "delete" => RegistryAction.Delete,
        _ => null,
    };

    private bool Grants(Caller caller, string repository, RegistryAction action)
    {
        foreach (var rule in _rules)
        {
            if (rule.Actions.Contains(action) && rule.Covers(caller) && rule.Matches(repository))
            {
                return true;
            }
        }

        return false;
    }
}
