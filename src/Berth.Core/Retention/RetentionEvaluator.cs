namespace Berth.Core.Retention;

/// <summary>
/// Decides which tags of a repository retention keeps: pure, no I/O, the clock from <paramref name="time"/>.
/// </summary>
/// <remarks>
/// zot's rules, with one difference. The first policy whose <c>repositories</c> globs match the repository decides; a
/// repository no policy covers keeps every tag, and so does a policy without <c>keeptags</c>. Within a policy a tag is
/// kept when any <c>keeptags</c> entry keeps it: the entry's patterns (regular expressions, unanchored; none means
/// every tag) must match it, and then any of its criteria (OR'ed) must keep it among the tags those patterns match;
/// an entry with no criterion keeps every tag it matches. zot gives a tag to the first entry whose patterns match it
/// alone; Berth asks every entry, so the order of the entries never matters and an entry can only add to what is
/// kept. A tag an <c>immutabletags</c> rule covers is always kept. <c>pulledwithin</c> also keeps a tag pushed within
/// that time (too new to judge by its pulls), and <c>mostrecentlypulledcount</c> ranks never-pulled tags after every
/// pulled one, newest push first, as zot does.
/// </remarks>
public sealed class RetentionEvaluator(RetentionPolicies policies, TimeProvider time)
{
    public RepositoryVerdict Evaluate(RepositoryName repository, IReadOnlyList<RetentionCandidate> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var policy = policies.Find(repository);
        if (policy is null || policy.KeepTags.Count == 0)
        {
            var reason = policy is null ? RetentionReason.NoPolicy : RetentionReason.NoKeepTags;
            return new RepositoryVerdict(repository, policy,
                [.. tags.Select(tag => new TagVerdict(tag, Keep: true, tag.ImmutableBy is null ? reason : RetentionReason.Immutable, null))]);
        }

        var now = time.GetUtcNow();
        var keptBy = new (RetentionReason Reason, KeepTagsRule Rule)?[tags.Count];
        var matchedBy = new KeepTagsRule?[tags.Count];
        foreach (var rule in policy.KeepTags)
        {
            var matching = Enumerable.Range(0, tags.Count).Where(i => rule.Matches(tags[i].Tag)).ToList();
            foreach (var i in matching)
            {
                matchedBy[i] ??= rule;
            }

            foreach (var (i, reason) in Keeps(rule, tags, matching, now))
            {
                keptBy[i] ??= (reason, rule);
            }
        }

        var verdicts = new TagVerdict[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            verdicts[i] = tags[i].ImmutableBy is not null ? new TagVerdict(tags[i], Keep: true, RetentionReason.Immutable, keptBy[i]?.Rule)
                : keptBy[i] is { } kept ? new TagVerdict(tags[i], Keep: true, kept.Reason, kept.Rule)
                : new TagVerdict(tags[i], Keep: false, matchedBy[i] is null ? RetentionReason.NoPatternMatches : RetentionReason.NoRuleKeeps, matchedBy[i]);
        }

        return new RepositoryVerdict(repository, policy, verdicts);
    }

    /// <summary>The tags (indexes into <paramref name="tags"/>) one entry keeps, each with its first criterion that does.</summary>
    private static Dictionary<int, RetentionReason> Keeps(KeepTagsRule rule, IReadOnlyList<RetentionCandidate> tags, List<int> matching,
        DateTimeOffset now)
    {
        var kept = new Dictionary<int, RetentionReason>();
        if (!rule.HasCriteria)
        {
            matching.ForEach(i => kept[i] = RetentionReason.Patterns);
            return kept;
        }

        if (rule.MostRecentlyPushedCount is { } pushed)
        {
            foreach (var i in matching.OrderByDescending(i => tags[i].PushedAt).ThenBy(i => tags[i].Tag.Value, StringComparer.Ordinal).Take(pushed))
            {
                kept.TryAdd(i, RetentionReason.MostRecentlyPushed);
            }
        }

        if (rule.MostRecentlyPulledCount is { } pulled)
        {
            var ranked = matching.OrderByDescending(i => tags[i].PulledAt ?? DateTimeOffset.MinValue)
                .ThenByDescending(i => tags[i].PushedAt)
                .ThenBy(i => tags[i].Tag.Value, StringComparer.Ordinal);
            foreach (var i in ranked.Take(pulled))
            {
                kept.TryAdd(i, RetentionReason.MostRecentlyPulled);
            }
        }

        foreach (var i in matching)
        {
            var tag = tags[i];
            if (rule.PushedWithin is { } pushedWithin && tag.PushedAt > now - pushedWithin)
            {
                kept.TryAdd(i, RetentionReason.PushedWithin);
            }

            if (rule.PulledWithin is { } pulledWithin)
            {
                if (tag.PulledAt is { } pulledAt && pulledAt > now - pulledWithin)
                {
                    kept.TryAdd(i, RetentionReason.PulledWithin);
                }
                else if (tag.PushedAt > now - pulledWithin)
                {
                    kept.TryAdd(i, RetentionReason.PushedWithinPulledWithin);
                }
            }
        }

        return kept;
    }
}
