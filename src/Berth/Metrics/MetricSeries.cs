namespace Berth.Metrics;

/// <summary>
/// The label set of one series, up to three labels, in the order the instrument is recorded with. A struct compared by
/// value, so looking a series up for a measurement allocates nothing; the labels' text is made once, with the series.
/// </summary>
internal readonly struct SeriesKey : IEquatable<SeriesKey>
{
    public const int MaxLabels = 3;

    private readonly string? _name0, _value0, _name1, _value1, _name2, _value2;

    public SeriesKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Berth records strings only; a tag beyond the third is not ours and is dropped rather than failing a request.
        if (tags.Length > 0) (_name0, _value0) = (tags[0].Key, tags[0].Value as string);
        if (tags.Length > 1) (_name1, _value1) = (tags[1].Key, tags[1].Value as string);
        if (tags.Length > 2) (_name2, _value2) = (tags[2].Key, tags[2].Value as string);
    }

    /// <summary>The labels sorted by name, as client_golang prints them: <c>code="200",handler="blob",method="get"</c>.</summary>
    public string LabelText()
    {
        var pairs = new List<(string Name, string Value)>(MaxLabels);
        Add(pairs, _name0, _value0);
        Add(pairs, _name1, _value1);
        Add(pairs, _name2, _value2);
        pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return string.Join(',', pairs.Select(pair => $"{pair.Name}=\"{Escape(pair.Value)}\""));
    }

    public bool Equals(SeriesKey other) =>
        string.Equals(_value0, other._value0, StringComparison.Ordinal) && string.Equals(_value1, other._value1, StringComparison.Ordinal)
        && string.Equals(_value2, other._value2, StringComparison.Ordinal) && string.Equals(_name0, other._name0, StringComparison.Ordinal)
        && string.Equals(_name1, other._name1, StringComparison.Ordinal) && string.Equals(_name2, other._name2, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_value0, _value1, _value2);

    private static void Add(List<(string, string)> pairs, string? name, string? value)
    {
        if (name is not null)
        {
            pairs.Add((name, value ?? string.Empty));
        }
    }

    /// <summary>The text format's escapes for label values: backslash, double quote, line feed.</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>A counter or gauge series: one value, added to (counters, up-down counters) or set (observable gauges).</summary>
internal sealed class SumSeries(string labels)
{
    private long _value;

    public string Labels { get; } = labels;

    public long Value => Interlocked.Read(ref _value);

    public void Add(long value) => Interlocked.Add(ref _value, value);

    public void Set(long value) => Interlocked.Exchange(ref _value, value);
}

/// <summary>A histogram series: a count per bucket (not cumulative; the writer sums them), the sum and the count.</summary>
internal sealed class HistogramSeries(string labels, int buckets)
{
    private readonly long[] _counts = new long[buckets + 1];
    private double _sum;
    private long _count;

    public string Labels { get; } = labels;

    public void Record(double value, double[] bounds)
    {
        // Upper bounds are inclusive (le); the last slot is +Inf.
        var index = Array.BinarySearch(bounds, value);
        Interlocked.Increment(ref _counts[index >= 0 ? index : ~index]);
        Interlocked.Increment(ref _count);
        double seen, sum;
        do
        {
            seen = Volatile.Read(ref _sum);
            sum = seen + value;
        }
        while (Interlocked.CompareExchange(ref _sum, sum, seen) != seen);
    }

    /// <summary>Counts per bucket, the sum and the count, read one after another: a scrape during a request may see the
    /// bucket before the count, which Prometheus tolerates (the next scrape agrees).</summary>
    public (long[] Counts, double Sum, long Count) Read()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return (counts, Volatile.Read(ref _sum), Interlocked.Read(ref _count));
    }
}
