namespace Berth.Core.Retention;

/// <summary>What retention decided for one tag, and why.</summary>
/// <param name="Rule">For a kept tag, the first entry that keeps it; for a removed one, the first entry whose patterns
/// match it (null when none does). Null for the reasons that involve no entry.</param>
public sealed record TagVerdict(RetentionCandidate Candidate, bool Keep, RetentionReason Reason, KeepTagsRule? Rule)
{
    public Tag Tag => Candidate.Tag;

    /// <summary>The reason in words, such as <c>kept: among the 5 most recently pushed</c>.</summary>
    public string Explain() => Reason switch
    {
        RetentionReason.NoPolicy => "kept: no retention policy covers the repository",
        RetentionReason.NoKeepTags => "kept: the policy has no keeptags, so it keeps every tag",
        RetentionReason.Immutable => $"kept: immutable ({Candidate.ImmutableBy})",
        RetentionReason.Patterns => "kept: matches the patterns of a rule with no other criterion",
        RetentionReason.MostRecentlyPushed => $"kept: among the {Rule!.MostRecentlyPushedCount} most recently pushed",
        RetentionReason.MostRecentlyPulled => Candidate.PulledAt is null
            ? $"kept: among the {Rule!.MostRecentlyPulledCount} most recently pulled (never pulled; fewer tags were, so ranked by push)"
            : $"kept: among the {Rule!.MostRecentlyPulledCount} most recently pulled",
        RetentionReason.PushedWithin => $"kept: pushed within {RetentionDurations.Format(Rule!.PushedWithin!.Value)}",
        RetentionReason.PulledWithin => $"kept: pulled within {RetentionDurations.Format(Rule!.PulledWithin!.Value)}",
        RetentionReason.PushedWithinPulledWithin =>
            $"kept: pushed within {RetentionDurations.Format(Rule!.PulledWithin!.Value)} (pulledwithin keeps what is newer than itself)",
        RetentionReason.NoRuleKeeps => "removed: no rule keeps it",
        RetentionReason.NoPatternMatches => "removed: matches no keeptags patterns",
        _ => Reason.ToString(),
    };

    /// <summary>The reason in words: how a verdict reads in a log line.</summary>
    public override string ToString() => Explain();
}
