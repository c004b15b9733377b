using System.Globalization;

namespace Berth.Logging;

/// <summary>The one timestamp spelling of every Berth format: UTC, RFC 3339, milliseconds.</summary>
internal static class LogTime
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);
}
