using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Core.Patterns;

/// <summary>
/// A tag pattern, compiled once: a glob, not a regular expression. <c>*</c> matches any run of tag characters,
/// the empty one included (<c>v*</c> matches <c>v</c>, <c>v1</c> and <c>v1.2.3-rc1</c>); a tag holds no <c>/</c>, so
/// <c>**</c> (Harbor's spelling of "every tag") means the same as <c>*</c>. Everything else is literal and case
/// sensitive, as tags are. Patterns hold only tag characters and <c>*</c>, so a dot is a dot, not "any character".
/// </summary>
public sealed partial class TagGlob
{
    private readonly Regex? _regex;

    private TagGlob(string pattern, Regex? regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    public bool IsMatch(Tag tag) => _regex?.IsMatch(tag.Value) ?? tag.Value == Pattern;

    public static bool TryParse(string pattern, out TagGlob? glob, out string error)
    {
        glob = null;
        if (pattern.Length == 0 || pattern.Length > 256 || !Allowed().IsMatch(pattern))
        {
            error = $"'{pattern}' is not a tag pattern: letters, digits, '.', '_', '-' and '*' only";
            return false;
        }

        error = string.Empty;
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            // A plain tag compares as a string: no regex to run for the commonest exact rule (latest, stable).
            glob = new TagGlob(pattern, null);
            return true;
        }

        var regex = new StringBuilder("^");
        foreach (var part in Stars().Split(pattern))
        {
            regex.Append(part.Length > 0 && part[0] == '*' ? ".*" : Regex.Escape(part));
        }

        glob = new TagGlob(pattern, new Regex(regex.Append(@"\z").ToString(),
            RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.NonBacktracking));
        return true;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9._*-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();

    /// <summary>Splits on runs of stars, keeping them, so <c>a**b</c> is <c>a</c>, <c>**</c>, <c>b</c>.</summary>
    [GeneratedRegex(@"(\*+)", RegexOptions.CultureInvariant)]
    private static partial Regex Stars();
}
