namespace Berth.Core.Retention;

/// <summary>What decided a tag's fate; <see cref="TagVerdict.Explain"/> words it.</summary>
public enum RetentionReason
{
    /// <summary>Kept: no policy covers the repository.</summary>
    NoPolicy,

    /// <summary>Kept: the policy has no <c>keeptags</c>, so it keeps every tag.</summary>
    NoKeepTags,

    /// <summary>Kept: a <c>storage.immutabletags</c> rule covers it, whatever the policy says.</summary>
    Immutable,

    /// <summary>Kept: the entry's patterns match and it has no other criterion.</summary>
    Patterns,

    /// <summary>Kept: among the entry's N most recently pushed.</summary>
    MostRecentlyPushed,

    /// <summary>Kept: among the entry's N most recently pulled.</summary>
    MostRecentlyPulled,

    /// <summary>Kept: pushed within the entry's <c>pushedwithin</c>.</summary>
    PushedWithin,

    /// <summary>Kept: pulled within the entry's <c>pulledwithin</c>.</summary>
    PulledWithin,

    /// <summary>Kept: pushed within the entry's <c>pulledwithin</c> (too new to judge by its pulls, as zot says).</summary>
    PushedWithinPulledWithin,

    /// <summary>Removed: some entry's patterns match, but none of the criteria keeps it.</summary>
    NoRuleKeeps,

    /// <summary>Removed: no entry's patterns match it.</summary>
    NoPatternMatches,
}
