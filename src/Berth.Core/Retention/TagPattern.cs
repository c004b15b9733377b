using System.Text.RegularExpressions;

namespace Berth.Core.Retention;

/// <summary>
/// A <c>keeptags</c> pattern: a regular expression matched anywhere in the tag, unanchored, as zot matches it
/// (<c>v2.*</c> also matches <c>rc-v2</c>; write <c>^v2\.</c> for a prefix). Compiled once, without backtracking and
/// with a match timeout, so no pattern in a config file can make an evaluation run away.
/// </summary>
public sealed class TagPattern
{
    /// <summary>A tag is at most 128 characters; a non-backtracking match of one takes microseconds. This bounds the rest.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _regex;

    private TagPattern(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    /// <summary>Whether the pattern matches somewhere in the tag; a match that times out counts as no match.</summary>
    public bool IsMatch(Tag tag)
    {
        try
        {
            return _regex.IsMatch(tag.Value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <returns>False, with the reason in <paramref name="error"/>, when .NET cannot compile the pattern without backtracking.</returns>
    public static bool TryParse(string pattern, out TagPattern? parsed, out string error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        parsed = null;
        if (pattern.Length == 0)
        {
            error = "a pattern must not be empty (leave 'patterns' out to match every tag)";
            return false;
        }

        try
        {
            parsed = new TagPattern(pattern, new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout));
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // NonBacktracking refuses lookarounds, backreferences and atomic groups; Go's RE2, which zot uses, has none of them either.
            error = $"'{pattern}' is not a regular expression Berth can use: {e.Message}";
            return false;
        }
    }

    public override string ToString() => Pattern;
}
