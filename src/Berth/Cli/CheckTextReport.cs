using System.Globalization;
using Berth.Core;
using Berth.Storage.Check;
using Berth.Storage.Drivers;

namespace Berth.Cli;

/// <summary>
/// <c>berth check</c>'s report for people, printed repository by repository as the check goes: findings grouped by
/// kind, each with its exact path (the file on disk with the filesystem driver, the storage path otherwise), what
/// is wrong, and what --repair-links removed. Progress goes to stderr so the report stays clean for a pipe.
/// </summary>
/// <param name="sections">Where the per-repository sections go; null prints none (the JSON report replaces them).</param>
/// <param name="quiet">Only problems and the count line: no "ok" sections, no notes, no progress.</param>
internal sealed class CheckTextReport(TextWriter? sections, TextWriter progress, IStorageDriver driver, bool quiet) : IIntegrityCheckObserver
{
    public Task RepositoryCheckedAsync(RepositoryName name, IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken) =>
        WriteSectionAsync(name.Value, findings);

    public Task BlobsCheckedAsync(IReadOnlyList<IntegrityProblem> findings, CancellationToken cancellationToken) =>
        WriteSectionAsync("blob store", findings);

    public Task ProgressAsync(long blobs, long bytes, CancellationToken cancellationToken) =>
        quiet ? Task.CompletedTask : progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"berth check: {blobs} blobs ({bytes} bytes) hashed so far"));

    /// <summary>The last line, printed in every mode: what was found, what was removed, and how much was read.</summary>
    public static string CountLine(IntegrityCheckResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{result.Problems} problems, {result.Notes} notes, {result.Repaired} links removed; checked {result.Repositories} repositories and {result.Blobs} blobs ({result.Bytes} bytes)");

    /// <summary>Where a person finds the path: the file itself on local disk, else the path inside the storage.</summary>
    public static string Where(IStorageDriver driver, StoragePath path) => driver.LocalPath(path) ?? path.ToString();

    private async Task WriteSectionAsync(string title, IReadOnlyList<IntegrityProblem> findings)
    {
        if (sections is null)
        {
            return;
        }

        var shown = quiet ? [.. findings.Where(finding => finding.Kind.IsProblem())] : findings;
        if (shown.Count == 0)
        {
            if (!quiet)
            {
                await sections.WriteLineAsync($"{title}: ok");
            }

            return;
        }

        await sections.WriteLineAsync($"{title}:");
        foreach (var group in shown.GroupBy(finding => finding.Kind).OrderBy(group => group.Key))
        {
            var note = group.Key.IsProblem() ? string.Empty : ", not a problem";
            await sections.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {group.Key.Heading()} ({group.Count()}{note}):"));
            foreach (var finding in group)
            {
                await sections.WriteLineAsync($"    {Where(driver, finding.Path)}");
                await sections.WriteLineAsync($"      {finding.Detail}");
                if (finding.Removed is { } removed)
                {
                    await sections.WriteLineAsync($"      removed {Where(driver, removed)}");
                }
            }
        }
    }
}
