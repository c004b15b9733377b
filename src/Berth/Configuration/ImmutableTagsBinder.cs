using Berth.Core.Immutability;
using Berth.Core.Patterns;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>storage.immutabletags</c>, Berth's own key: a list of rules, each a list of <c>repositories</c> globs
/// (the access policy's syntax) and a list of <c>tags</c> globs. Both lists are required: a rule without one would
/// either freeze nothing (a mistake to report) or every tag of every repository (too much to assume).
/// </summary>
internal static class ImmutableTagsBinder
{
    public static ImmutableTagRules Bind(ConfigSection storage) =>
        new(storage.GetSectionList("immutabletags").Select(ReadRule));

    private static ImmutableTagRule ReadRule(ConfigSection rule)
    {
        _ = Required(rule, "repositories", "[\"prod/**\"] or [\"**\"] for every repository");
        var repositories = rule.GetRepositoryGlobs("repositories")!;
        var tags = Required(rule, "tags", "[\"v*\", \"release-*\"] or [\"*\"] for every tag")
            .Select(pattern => TagGlob.TryParse(pattern, out var glob, out var error)
                ? glob!
                : throw new ConfigurationException(rule.KeyPath("tags"), error))
            .ToList();
        rule.WarnUnknownKeys();
        return new ImmutableTagRule(rule.Path, repositories, tags);
    }

    private static IReadOnlyList<string> Required(ConfigSection rule, string key, string example) =>
        rule.GetStringList(key) is { Count: > 0 } values
            ? values
            : throw new ConfigurationException(rule.KeyPath(key), $"missing; list the {key} the rule covers, e.g. {example}");
}
