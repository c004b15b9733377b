using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Berth.Auth.Htpasswd;

/// <summary>
/// Reads an htpasswd file: <c>user:hash</c> lines, blank and <c>#</c> lines skipped. Only bcrypt entries are kept;
/// MD5 (<c>$apr1$</c>), SHA1 (<c>{SHA}</c>), crypt and plain text ones are refused with a warning naming the user,
/// as registry:2 accepts bcrypt only. A later entry for the same user replaces an earlier one, as in registry:2.
/// </summary>
internal static partial class HtpasswdParser
{
    public static Dictionary<string, string> Parse(string content, ILogger logger)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in content.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                AuthLog.MalformedLine(logger, lineNumber);
                continue;
            }

            var user = line[..colon];
            var hash = line[(colon + 1)..];
            if (!BcryptHash().IsMatch(hash))
            {
                AuthLog.NonBcryptEntry(logger, user);
                continue;
            }

            users[user] = hash;
        }

        return users;
    }

    /// <summary>The cost of a bcrypt hash that passed <see cref="Parse"/>.</summary>
    public static int CostOf(string hash) => int.Parse(hash.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);

    // $2a$/$2b$/$2y$, a two-digit cost, then 22 characters of salt and 31 of hash in bcrypt's base64 alphabet.
    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$", RegexOptions.CultureInvariant)]
    private static partial Regex BcryptHash();
}
