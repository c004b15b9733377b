using System.Text.RegularExpressions;
using Berth.Auth;

namespace Berth.Configuration;

/// <summary>
/// Binds Berth's <c>access</c> section: named <c>groups</c> of users and a list of <c>rules</c>, each granting
/// <c>actions</c> on <c>repositories</c> (globs) to <c>users</c> (<c>*</c>: every authenticated user), <c>groups</c>
/// and/or anonymous callers. Matching the rules is Berth.Auth's work; this checks that each rule means something.
/// </summary>
internal static partial class AccessSettingsBinder
{
    private static readonly Dictionary<string, RegistryAction> ActionNames =
        Enum.GetValues<RegistryAction>().ToDictionary(a => a.ToString(), StringComparer.OrdinalIgnoreCase);

    public static AccessPolicySettings? Bind(ConfigSection access)
    {
        if (access.Keys.Count == 0)
        {
            return null;
        }

        var groups = ReadGroups(access.GetSection("groups"));
        if (!access.Has("rules"))
        {
            // With an access section nothing is allowed that no rule grants: a missing list is surely a mistake.
            throw new ConfigurationException(access.KeyPath("rules"), "missing; the access section needs a list of rules (see docs/configuration.md)");
        }

        var rules = access.GetSectionList("rules").Select(rule => ReadRule(rule, groups)).ToList();
        access.WarnUnknownKeys();
        return new AccessPolicySettings(groups, rules);
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadGroups(ConfigSection groups)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, node) in groups.Entries())
        {
            var members = YamlValues.StringList(groups.KeyPath(name), node);
            CheckNames(groups.KeyPath(name), members, "user name");
            result[name] = members;
        }

        return result;
    }

    private static AccessRule ReadRule(ConfigSection rule, Dictionary<string, IReadOnlyList<string>> groups)
    {
        var repositories = rule.GetStringList("repositories") ?? [];
        if (repositories.Count == 0)
        {
            throw new ConfigurationException(rule.KeyPath("repositories"), "missing; list the repositories the rule covers, e.g. [\"team-a/**\"] or [\"**\"] for all");
        }

        foreach (var pattern in repositories.Where(p => !RepositoryPattern().IsMatch(p)))
        {
            throw new ConfigurationException(rule.KeyPath("repositories"),
                $"'{pattern}' is not a repository pattern: lower-case names with / between parts, * within a part, ** across parts");
        }

        var users = rule.GetStringList("users") ?? [];
        var ruleGroups = rule.GetStringList("groups") ?? [];
        var anonymous = rule.GetBool("anonymous", fallback: false);
        CheckNames(rule.KeyPath("users"), users, "user name");
        foreach (var group in ruleGroups.Where(g => !groups.ContainsKey(g)))
        {
            throw new ConfigurationException(rule.KeyPath("groups"), $"unknown group '{group}'; define it under access.groups");
        }

        if (users.Count == 0 && ruleGroups.Count == 0 && !anonymous)
        {
            throw new ConfigurationException(rule.Path, "grants nobody; add users, groups or anonymous: true");
        }

        var actions = ReadActions(rule);
        rule.WarnUnknownKeys();
        return new AccessRule(repositories, actions, users, ruleGroups, anonymous);
    }

    private static List<RegistryAction> ReadActions(ConfigSection rule)
    {
        var key = rule.KeyPath("actions");
        var names = rule.GetStringList("actions") ?? [];
        if (names.Count == 0)
        {
            throw new ConfigurationException(key, "missing; list what the rule allows: pull, push, delete (or * for all three)");
        }

        var actions = new List<RegistryAction>();
        foreach (var name in names)
        {
            if (name == "*")
            {
                actions.AddRange(Enum.GetValues<RegistryAction>());
            }
            else if (ActionNames.TryGetValue(name, out var action))
            {
                actions.Add(action);
            }
            else
            {
                throw new ConfigurationException(key, $"expected pull, push, delete or *, got '{name}'");
            }
        }

        return actions.Distinct().ToList();
    }

    private static void CheckNames(string key, IReadOnlyList<string> names, string what)
    {
        foreach (var name in names.Where(n => n.Length == 0 || n.Contains(':', StringComparison.Ordinal) || n.Any(char.IsWhiteSpace)))
        {
            throw new ConfigurationException(key, $"'{name}' is not a {what}");
        }
    }

    /// <summary>Repository name characters plus the glob stars; upper case never matches a repository, so it is refused.</summary>
    [GeneratedRegex(@"^[a-z0-9*]([a-z0-9._*-]|/(?!/))*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();
}
