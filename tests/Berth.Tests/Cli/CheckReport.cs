using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Tests.Cli;

/// <summary>One finding as both of <c>berth check</c>'s reports can say it.</summary>
internal sealed record CheckFinding(string Section, string Kind, string Where, string Detail, string? Removed);

/// <summary>Reads <c>berth check</c>'s text report and its --json document into the same findings, to compare them.</summary>
internal static partial class CheckReport
{
    public static IReadOnlyList<CheckFinding> FromJson(JsonElement root) =>
        [.. root.GetProperty("findings").EnumerateArray().Select(finding => new CheckFinding(
            finding.GetProperty("repository").GetString() ?? "blob store",
            finding.GetProperty("kind").GetString()!,
            finding.GetProperty("file").GetString() ?? finding.GetProperty("path").GetString()!,
            finding.GetProperty("detail").GetString()!,
            finding.GetProperty("removed").GetString()))];

    /// <summary>
    /// Sections (<c>name:</c>), kind headings (<c>  kind (n):</c>), paths (4 spaces), details and removals (6): the
    /// layout the text report promises. A removal is shown as the local path; the JSON's storage path ends the same.
    /// </summary>
    public static IReadOnlyList<CheckFinding> FromText(string text)
    {
        var findings = new List<CheckFinding>();
        string section = "", kind = "", where = "";
        foreach (var line in text.Split('\n'))
        {
            if (SectionLine().Match(line) is { Success: true } s)
            {
                section = s.Groups[1].Value;
            }
            else if (HeadingLine().Match(line) is { Success: true } h)
            {
                kind = h.Groups[1].Value.Replace(' ', '-');
            }
            else if (line.StartsWith("      removed ", StringComparison.Ordinal))
            {
                findings[^1] = findings[^1] with { Removed = line["      removed ".Length..] };
            }
            else if (line.StartsWith("      ", StringComparison.Ordinal))
            {
                findings.Add(new CheckFinding(section, kind, where, line.Trim(), null));
            }
            else if (line.StartsWith("    ", StringComparison.Ordinal))
            {
                where = line.Trim();
            }
        }

        return findings;
    }

    /// <summary>The key both reports agree on, with a removal reduced to its last four path segments.</summary>
    public static string Key(CheckFinding finding) =>
        $"{finding.Section} | {finding.Kind} | {finding.Where} | {finding.Detail} | {Tail(finding.Removed)}";

    private static string? Tail(string? path) => path is null ? null : string.Join('/', path.Split('/')[^4..]);

    [GeneratedRegex("^(\\S.*):$")]
    private static partial Regex SectionLine();

    [GeneratedRegex("^  (\\S.*) \\(\\d+.*\\):$")]
    private static partial Regex HeadingLine();
}
