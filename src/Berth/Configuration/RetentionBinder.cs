using System.Text.RegularExpressions;
using Berth.Core.Patterns;
using Berth.Core.Retention;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>storage.retention</c>, zot's section in Berth's lower-case spelling: <c>dryrun</c> and a list of
/// <c>policies</c>, each with <c>repositories</c> (required: the access policy's globs), <c>deleteuntagged</c> (true
/// unless written, as in zot), <c>deletereferrers</c> and <c>keeptags</c> entries (<c>patterns</c>, the two counts, the
/// two durations). zot's camelCase keys are refused with the spelling to use: ignoring <c>keepTags</c> would quietly
/// turn a policy into one that keeps everything.
/// </summary>
internal static partial class RetentionBinder
{
    private static readonly string[] RetentionKeys = ["dryrun", "policies"];
    private static readonly string[] PolicyKeys = ["repositories", "deleteuntagged", "deletereferrers", "keeptags"];
    private static readonly string[] KeepTagsKeys = ["patterns", "mostrecentlypushedcount", "mostrecentlypulledcount", "pushedwithin", "pulledwithin"];

    public static RetentionPolicies Bind(ConfigSection storage)
    {
        var retention = storage.GetSection("retention");
        RefuseOtherSpellings(retention, RetentionKeys);
        if (retention.Has("delay"))
        {
            retention.Warn("delay", "zot's delay has no effect in Berth: the online collector's storage.maintenance.gc.grace keeps new content");
        }

        var dryRun = retention.GetBool("dryrun", fallback: false);
        var policies = retention.GetSectionList("policies").Select(ReadPolicy).ToList();
        retention.WarnUnknownKeys();
        return new RetentionPolicies(policies, dryRun);
    }

    private static RetentionPolicy ReadPolicy(ConfigSection policy)
    {
        RefuseOtherSpellings(policy, PolicyKeys);
        if (policy.Has("repoNames"))
        {
            throw new ConfigurationException(policy.KeyPath("repoNames"), "write 'repositories' (the key zot reads today), in lower case");
        }

        var repositories = policy.GetRepositoryGlobs("repositories") is { Count: > 0 } globs
            ? globs
            : throw new ConfigurationException(policy.KeyPath("repositories"),
                "missing; list the repositories the policy covers, e.g. [\"ci/**\"], or [\"**\"] for every repository");
        var result = new RetentionPolicy(policy.Path, repositories,
            DeleteUntagged: policy.GetBool("deleteuntagged", fallback: true),
            DeleteReferrers: policy.GetBool("deletereferrers", fallback: false),
            [.. policy.GetSectionList("keeptags").Select(ReadKeepTags)]);
        policy.WarnUnknownKeys();
        return result;
    }

    private static KeepTagsRule ReadKeepTags(ConfigSection entry)
    {
        RefuseOtherSpellings(entry, KeepTagsKeys);
        var patterns = (entry.GetStringList("patterns") ?? [])
            .Select(pattern => TagPattern.TryParse(pattern, out var parsed, out var error)
                ? parsed!
                : throw new ConfigurationException(entry.KeyPath("patterns"), error))
            .ToList();
        var rule = new KeepTagsRule(entry.Path, patterns,
            entry.GetInt("mostrecentlypushedcount", minimum: 1),
            entry.GetInt("mostrecentlypulledcount", minimum: 1),
            Duration(entry, "pushedwithin"),
            Duration(entry, "pulledwithin"));
        entry.WarnUnknownKeys();
        return rule;
    }

    /// <summary>A Go duration (<c>720h</c>, <c>1h30m</c>), optionally after whole days (<c>30d</c>, <c>1d12h</c>) as zot's users write.</summary>
    private static TimeSpan? Duration(ConfigSection entry, string key)
    {
        var text = entry.GetString(key);
        if (text is null)
        {
            return null;
        }

        var days = Days().Match(text);
        var rest = days.Success ? days.Groups["rest"].Value : text;
        var duration = TimeSpan.Zero;
        var valid = (days.Success && rest.Length == 0) || GoDuration.TryParse(rest, out duration);
        if (days.Success && valid)
        {
            duration += TimeSpan.FromDays(int.Parse(days.Groups["days"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        return valid && duration > TimeSpan.Zero
            ? duration
            : throw new ConfigurationException(entry.KeyPath(key), $"expected a duration above zero such as 720h, 30d or 1d12h, got '{text}'");
    }

    /// <summary>A key written in another case (zot's <c>keepTags</c>) would be ignored with a warning; stop instead.</summary>
    private static void RefuseOtherSpellings(ConfigSection section, string[] known)
    {
        foreach (var key in section.Keys)
        {
            if (!known.Contains(key, StringComparer.Ordinal) && known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) is { } meant)
            {
                throw new ConfigurationException(section.KeyPath(key), $"write '{meant}': Berth's keys are lower case, as registry:2's are");
            }
        }
    }

    [GeneratedRegex(@"^(?<days>[0-9]{1,5})d(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Days();
}
