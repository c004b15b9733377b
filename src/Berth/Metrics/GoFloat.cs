using System.Globalization;

namespace Berth.Metrics;

/// <summary>
/// Floats as Go's strconv.FormatFloat(v, 'g', -1, 64) writes them, which is how registry:2 spells bucket bounds
/// (<c>le="4.194304e+06"</c>): a query or recording rule that matches an <c>le</c> by text then matches Berth's too.
/// </summary>
internal static class GoFloat
{
    public static string Format(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value) || value == 0)
        {
            return double.IsNaN(value) ? "NaN" : "0";
        }

        // Go's shortest 'g' takes the exponent form when the decimal exponent is below -4 or at least 6.
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return exponent < -4 || exponent >= 6
            ? value.ToString("0.################e+00", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
