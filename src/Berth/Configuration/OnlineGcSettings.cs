namespace Berth.Configuration;

/// <summary>
/// <c>storage.maintenance.gc.*</c>: garbage collection while berth serves (off by default). Every key also as a
/// <c>REGISTRY_STORAGE_MAINTENANCE_GC_*</c> variable.
/// </summary>
public sealed record OnlineGcSettings
{
    public bool Enabled { get; init; }

    /// <summary>Time from the end of one collection to the start of the next.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Unreferenced content younger than this is kept, for people's sake: safety never depends on it.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Also remove manifests no tag reaches (and then their content), as <c>garbage-collect --delete-untagged</c>.</summary>
    public bool DeleteUntagged { get; init; }

    /// <summary>The hours collections may start in (server's local time); null: any time.</summary>
    public DailyWindow? Window { get; init; }
}

/// <summary>A daily span of time such as <c>01:00-06:00</c>, which may run past midnight (<c>22:00-04:00</c>).</summary>
public sealed record DailyWindow(TimeSpan Start, TimeSpan End)
{
    public bool Contains(TimeSpan timeOfDay) =>
        Start <= End ? timeOfDay >= Start && timeOfDay < End : timeOfDay >= Start || timeOfDay < End;

    /// <summary>How long from <paramref name="timeOfDay"/> until the window opens (zero inside it).</summary>
    public TimeSpan UntilOpen(TimeSpan timeOfDay)
    {
        if (Contains(timeOfDay))
        {
            return TimeSpan.Zero;
        }

        var wait = Start - timeOfDay;
        return wait < TimeSpan.Zero ? wait + TimeSpan.FromDays(1) : wait;
    }

    /// <summary>Parses <c>HH:MM-HH:MM</c>; null when the text is not of that shape or names the same time twice.</summary>
    public static DailyWindow? Parse(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TryParseTime(parts[0], out var start) || !TryParseTime(parts[1], out var end) || start == end)
        {
            return null;
        }

        return new DailyWindow(start, end);
    }

    public override string ToString() => $"{Start:hh\\:mm}-{End:hh\\:mm}";

    private static bool TryParseTime(string text, out TimeSpan time) =>
        TimeSpan.TryParseExact(text, ["h\\:mm", "hh\\:mm"], System.Globalization.CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromDays(1);
}
