using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Core.Patterns;

/// <summary>
/// A repository pattern of the <c>access</c> section, compiled once. <c>*</c> matches within one path segment
/// (<c>team-*/app</c>), a <c>**</c> segment matches across segments: <c>public/**</c> is everything below
/// <c>public/</c> (not <c>public</c> itself), <c>**/cache</c> and <c>a/**/b</c> also match zero segments
/// (<c>cache</c>, <c>a/b</c>). Everything else is literal and must be a valid repository name character.
/// </summary>
public sealed partial class RepositoryGlob
{
    private readonly Regex _regex;

    private RepositoryGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    public bool IsMatch(string repository) => _regex.IsMatch(repository);

    /// <summary>Whether any of <paramref name="globs"/> matches: a rule's list of repository patterns.</summary>
    public static bool MatchesAny(IReadOnlyList<RepositoryGlob> globs, string repository)
    {
        for (var i = 0; i < globs.Count; i++)
        {
            if (globs[i].IsMatch(repository))
            {
                return true;
            }
        }

        return false;
    }

    public static bool TryParse(string pattern, out RepositoryGlob? glob, out string error)
    {
        glob = null;
        error = Validate(pattern) ?? "";
        if (error.Length > 0)
        {
            return false;
        }

        var segments = pattern.Split('/');
        var regex = new StringBuilder("^");
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                // Zero or more whole segments before what follows; one or more characters when it ends the pattern.
                regex.Append(last ? ".+" : "(?:[^/]+/)*");
                continue;
            }

            regex.Append(Regex.Escape(segments[i]).Replace(@"\*", "[^/]*", StringComparison.Ordinal));
            if (!last)
            {
                regex.Append('/');
            }
        }

        regex.Append('$');
        glob = new RepositoryGlob(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.NonBacktracking));
        return true;
    }

    private static string? Validate(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "a repository pattern must not be empty";
        }

        if (!Allowed().IsMatch(pattern))
        {
            return $"'{pattern}' may hold only lowercase letters, digits, '.', '_', '-', '/' and '*'";
        }

        foreach (var segment in pattern.Split('/'))
        {
            if (segment.Length == 0)
            {
                return $"'{pattern}' has an empty path segment";
            }

            if (segment.Contains("**", StringComparison.Ordinal) && segment != "**")
            {
                return $"'{pattern}': '**' must be a whole path segment (use '*' within a segment)";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[a-z0-9._/*-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
