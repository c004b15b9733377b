using System.Globalization;

namespace Berth.Core.Retention;

/// <summary>How retention's durations read in reports: in the largest whole unit, as a config file would write them.</summary>
public static class RetentionDurations
{
    public static string Format(TimeSpan duration)
    {
        if (duration > TimeSpan.Zero && duration.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return ((long)duration.TotalDays).ToString(CultureInfo.InvariantCulture) + "d";
        }

        if (duration.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return ((long)duration.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (duration.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return ((long)duration.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";
        }

        return duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }
}
