using System.Globalization;
using System.Text;

namespace Berth.Logging;

/// <summary>
/// <c>key=value</c> pairs as logfmt spells them, shared by the logfmt and text formats: a value with a space, quote,
/// equals sign, backslash or control character is quoted and escaped, so one entry stays one line and a hostile value
/// (a path with an encoded newline) cannot forge a second one.
/// </summary>
internal static class KeyValueText
{
    public static void AppendPair(StringBuilder line, string key, object? value)
    {
        if (line.Length > 0)
        {
            line.Append(' ');
        }

        foreach (var c in key)
        {
            line.Append(c is ' ' or '=' or '"' || char.IsControl(c) ? '_' : c);
        }

        line.Append('=');
        AppendValue(line, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
    }

    public static void AppendValue(StringBuilder line, string value)
    {
        if (value.Length > 0 && !value.Any(c => c is ' ' or '=' or '"' or '\\' || char.IsControl(c)))
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        AppendEscaped(line, value, escapeQuotes: true);
        line.Append('"');
    }

    /// <summary>Writes <paramref name="text"/> with its control characters escaped; quotes too when it is to be quoted.</summary>
    public static void AppendEscaped(StringBuilder line, string text, bool escapeQuotes)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' when escapeQuotes => line.Append("\\\""),
                '\\' when escapeQuotes => line.Append("\\\\"),
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                '\t' => line.Append("\\t"),
                _ when char.IsControl(c) => line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => line.Append(c),
            };
        }
    }
}
