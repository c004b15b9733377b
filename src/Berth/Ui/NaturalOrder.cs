namespace Berth.Ui;

/// <summary>
/// Version-aware order of tags and names, the page's own (<c>naturalCompare</c> in app.js, which this must match):
/// runs of digits compare as numbers, other runs as text ignoring case, and a number sorts before text at the same
/// place, so <c>1.9 &lt; 1.10 &lt; latest</c>. The server sends a repository's tags in this order, so the page draws
/// 10,000 of them without sorting first.
/// </summary>
internal sealed class NaturalOrder : IComparer<string>
{
    public static NaturalOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var (i, j, runs) = (0, 0, 0);
        while (i < x.Length && j < y.Length)
        {
            var xRun = Run(x, ref i);
            var yRun = Run(y, ref j);
            runs++;
            var order = CompareRuns(xRun, yRun);
            if (order != 0)
            {
                return order;
            }
        }

        var xRuns = runs + CountRuns(x, i);
        var yRuns = runs + CountRuns(y, j);
        return xRuns != yRuns ? xRuns - yRuns : string.CompareOrdinal(x, y);
    }

    private static int CompareRuns(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        var (xNumber, yNumber) = (char.IsAsciiDigit(x[0]), char.IsAsciiDigit(y[0]));
        if (xNumber != yNumber)
        {
            return xNumber ? -1 : 1;
        }

        if (xNumber)
        {
            // As numbers: leading zeros do not count, and a longer number is a larger one.
            var a = x.TrimStart('0');
            var b = y.TrimStart('0');
            return a.Length != b.Length ? a.Length - b.Length : a.SequenceCompareTo(b);
        }

        for (var k = 0; k < x.Length && k < y.Length; k++)
        {
            var (a, b) = (char.ToLowerInvariant(x[k]), char.ToLowerInvariant(y[k]));
            if (a != b)
            {
                return a - b;
            }
        }

        return x.Length - y.Length;
    }

    /// <summary>The run of digits or of other characters starting at <paramref name="start"/>, which moves past it.</summary>
    private static ReadOnlySpan<char> Run(string text, ref int start)
    {
        var begin = start;
        var digits = char.IsAsciiDigit(text[start]);
        while (start < text.Length && char.IsAsciiDigit(text[start]) == digits)
        {
            start++;
        }

        return text.AsSpan(begin, start - begin);
    }

    private static int CountRuns(string text, int start)
    {
        var count = 0;
        while (start < text.Length)
        {
            _ = Run(text, ref start);
            count++;
        }

        return count;
    }
}
