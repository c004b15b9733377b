using System.Globalization;
using Berth.Core.Retention;
using Berth.Storage.Gc;
using Berth.Storage.Retention;

namespace Berth.Cli;

/// <summary>
/// <c>garbage-collect --retention</c>'s report, before the collector's own: per repository the policy that covers
/// it, per <c>keeptags</c> rule the tags it keeps and those it speaks for but removes, each with why, then the
/// manifests deleted with the tags. A dry run says "would remove" and changes nothing.
/// </summary>
internal static class RetentionTextReport
{
    public static async Task WriteAsync(TextWriter output, RetentionResult result)
    {
        var removes = result.DryRun ? "would remove" : "removed";
        await output.WriteLineAsync(result.DryRun ? "retention (dry run: nothing is removed)" : "retention");
        foreach (var repository in result.Repositories)
        {
            await WriteRepositoryAsync(output, repository, result.DryRun);
        }

        var covered = result.Repositories.Count(repository => repository.Verdict.Policy is not null);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"retention: {removes} {result.TagsRemoved} tags and {result.ManifestsDeleted} manifests; {covered} of {result.Repositories.Count} repositories covered by a policy"));
        await output.WriteLineAsync();
    }

    private static async Task WriteRepositoryAsync(TextWriter output, RepositoryRetention repository, bool dryRun)
    {
        var name = repository.Repository.Value;
        if (repository.Verdict.Policy is not { } policy)
        {
            await output.WriteLineAsync($"{name}: no policy covers it; every tag kept");
            return;
        }

        await output.WriteLineAsync($"{name}: {policy}");
        if (policy.KeepTags.Count == 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  no keeptags, so every tag is kept ({repository.Verdict.Tags.Count} tags)"));
        }

        foreach (var group in Groups(repository.Verdict))
        {
            await output.WriteLineAsync($"  {group.Heading}:");
            foreach (var tag in group.Tags)
            {
                var why = tag.Keep || !dryRun ? tag.Explain() : "would be " + tag.Explain();
                var after = tag.Keep || repository.KeptAfterAll(tag.Tag) is not { } kept ? string.Empty : "; " + kept;
                await output.WriteLineAsync($"    {tag.Tag.Value} ({tag.Candidate.Digest}) {why}{after}");
            }
        }

        foreach (var manifest in repository.Manifests)
        {
            await output.WriteLineAsync($"  manifest {(dryRun ? "would be deleted" : "deleted")}: {manifest.Digest} ({Why(manifest)})");
        }
    }

    /// <summary>Immutable tags first, then one group per rule in the order written, then the tags no rule's patterns match.</summary>
    private static IEnumerable<(string Heading, IReadOnlyList<TagVerdict> Tags)> Groups(RepositoryVerdict verdict)
    {
        var immutable = verdict.Tags.Where(tag => tag.Reason == RetentionReason.Immutable).ToList();
        if (immutable.Count > 0)
        {
            yield return ("immutable (storage.immutabletags)", immutable);
        }

        var rest = verdict.Tags.Where(tag => tag.Reason is not (RetentionReason.Immutable or RetentionReason.NoKeepTags)).ToList();
        foreach (var rule in verdict.Policy!.KeepTags)
        {
            var decided = rest.Where(tag => ReferenceEquals(tag.Rule, rule)).ToList();
            if (decided.Count > 0)
            {
                yield return (rule.ToString(), decided);
            }
        }

        var unmatched = rest.Where(tag => tag.Rule is null).ToList();
        if (unmatched.Count > 0)
        {
            yield return ("no keeptags rule matches", unmatched);
        }
    }

    private static string Why(CleanedManifest manifest) => manifest.Reason switch
    {
        CleanupReason.Untagged => "its last tag was removed; deleteuntagged",
        CleanupReason.ChildOfDeleted => $"a platform of the deleted index {manifest.Because}; deleteuntagged",
        _ => $"a referrer whose subject {manifest.Because} is gone; deletereferrers",
    };
}
