namespace Berth.Core.Retention;

/// <summary>
/// One <c>keeptags</c> entry of a retention policy: which tags it speaks for (<see cref="Patterns"/>; none means
/// every tag) and what keeps them. The criteria are OR'ed: a tag the patterns match is kept when any criterion keeps
/// it; an entry with patterns and no criterion keeps every tag they match.
/// </summary>
/// <param name="Key">Where the entry was written (<c>storage.retention.policies.0.keeptags.1</c>), named in reports.</param>
/// <param name="MostRecentlyPushedCount">Keep the N tags, among those the patterns match, pushed last.</param>
/// <param name="MostRecentlyPulledCount">Keep the N tags, among those the patterns match, pulled last.</param>
/// <param name="PushedWithin">Keep tags pushed less than this long ago.</param>
/// <param name="PulledWithin">Keep tags pulled (or, as zot does, pushed) less than this long ago.</param>
public sealed record KeepTagsRule(string Key, IReadOnlyList<TagPattern> Patterns, int? MostRecentlyPushedCount = null,
    int? MostRecentlyPulledCount = null, TimeSpan? PushedWithin = null, TimeSpan? PulledWithin = null)
{
    public bool HasCriteria => MostRecentlyPushedCount is not null || MostRecentlyPulledCount is not null || PushedWithin is not null
        || PulledWithin is not null;

    public bool Matches(Tag tag)
    {
        if (Patterns.Count == 0)
        {
            return true;
        }

        foreach (var pattern in Patterns)
        {
            if (pattern.IsMatch(tag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How the entry reads in a report: its key, patterns and criteria.</summary>
    public override string ToString()
    {
        var parts = new List<string> { Patterns.Count == 0 ? "every tag" : "patterns " + string.Join(", ", Patterns) };
        if (MostRecentlyPushedCount is { } pushed)
        {
            parts.Add($"mostrecentlypushedcount {pushed}");
        }

        if (MostRecentlyPulledCount is { } pulled)
        {
            parts.Add($"mostrecentlypulledcount {pulled}");
        }

        if (PushedWithin is { } pushedWithin)
        {
            parts.Add("pushedwithin " + RetentionDurations.Format(pushedWithin));
        }

        if (PulledWithin is { } pulledWithin)
        {
            parts.Add("pulledwithin " + RetentionDurations.Format(pulledWithin));
        }

        return $"{Key} ({string.Join("; ", parts)})";
    }
}
