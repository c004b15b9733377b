using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Configuration;

/// <summary>Sizes written as people write them: <c>20GiB</c>, <c>500 MiB</c>, <c>1G</c>, or a plain number of bytes. Units are powers of 1024.</summary>
internal static partial class ByteSize
{
    /// <returns>The size in bytes; null when the text is not a size or does not fit a long.</returns>
    public static long? Parse(string text)
    {
        var match = SizeText().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var shift = char.ToUpperInvariant(match.Groups["unit"].Value.FirstOrDefault()) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        return number <= long.MaxValue >> shift ? number << shift : null;
    }

    [GeneratedRegex(@"^(?<number>[0-9]+)\s*(?<unit>(?:[KkMmGgTt](?:i?B)?|B)?)$")]
    private static partial Regex SizeText();
}
