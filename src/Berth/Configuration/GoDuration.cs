using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Configuration;

/// <summary>
/// Durations as registry:2's config.yml writes them (Go's <c>time.ParseDuration</c>): a sequence of decimal numbers
/// with units, such as <c>60s</c>, <c>1m30s</c>, <c>1.5h</c> or <c>300ms</c>; <c>0</c> alone is zero. Negative
/// durations mean nothing in a configuration and are refused.
/// </summary>
internal static partial class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        var parts = Part().Matches(text);
        if (parts.Count == 0 || parts.Sum(part => part.Length) != text.Length)
        {
            return false;
        }

        double ticks = 0;
        foreach (Match part in parts)
        {
            var value = double.Parse(part.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            ticks += value * UnitTicks(part.Groups["unit"].Value);
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    private static double UnitTicks(string unit) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };

    [GeneratedRegex(@"\G(?<value>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<unit>ns|us|µs|μs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
