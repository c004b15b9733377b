using Berth.Core;
using Berth.Core.Immutability;
using Berth.Core.Retention;
using Berth.Storage.Gc;
using Berth.Storage.Layout;
using Berth.Storage.State;

namespace Berth.Storage.Retention;

/// <summary>
/// Applies <c>storage.retention</c> to every repository a policy covers: reads its tags with their push times
/// (the current link's modification time, on every driver) and pull times, asks <see cref="RetentionEvaluator"/>,
/// removes each tag it condemns only if the tag still names the manifest judged, and then deletes the manifests
/// those removals leave behind as the policy says (<see cref="ManifestCleanup"/>). Blobs are left to the collector's
/// sweep, online in the same cycle or offline right after.
/// </summary>
public sealed class RetentionRunner(RetentionStorage storage, RetentionPolicies policies, ImmutableTagRules immutableTags, TimeProvider time)
{
    private readonly RetentionEvaluator _evaluator = new(policies, time);

    /// <param name="dryRun">Decide and report, change nothing.</param>
    /// <param name="guard">How manifests are deleted: unguarded offline, condemned first inside an online cycle.</param>
    public async Task<RetentionResult> RunAsync(bool dryRun, GuardedDeletion guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var references = new ReferenceCache(storage.Driver);
        var repositories = new List<RepositoryRetention>();
        foreach (var name in (await CatalogScan.FindAsync(storage.Driver, cancellationToken)).Select(RepositoryName.Parse))
        {
            repositories.Add(policies.Find(name) is null
                ? new RepositoryRetention(new RepositoryVerdict(name, null, []), [], [], [])
                : await ApplyAsync(name, references, dryRun, guard, cancellationToken));
        }

        return new RetentionResult(repositories, dryRun);
    }

    private async Task<RepositoryRetention> ApplyAsync(RepositoryName name, ReferenceCache references, bool dryRun, GuardedDeletion guard,
        CancellationToken cancellationToken)
    {
        var contents = await RepositoryContents.ReadAsync(storage.Driver, name, references.ReadAsync, cancellationToken);
        var verdict = _evaluator.Evaluate(name, await CandidatesAsync(contents, cancellationToken));
        var policy = verdict.Policy!;
        var condemned = verdict.Removed.ToDictionary(tag => tag.Tag, tag => tag.Candidate.Digest);
        if (dryRun)
        {
            return new RepositoryRetention(verdict, [.. condemned.Keys], [],
                ManifestCleanup.Plan(contents, condemned, policy.DeleteUntagged, policy.DeleteReferrers));
        }

        var removed = new Dictionary<Tag, Digest>();
        var moved = new List<Tag>();
        foreach (var (tag, digest) in condemned)
        {
            if (await storage.Store.RemoveTagIfUnchangedAsync(name, tag, digest, cancellationToken))
            {
                removed[tag] = digest;
            }
            else
            {
                moved.Add(tag);
            }
        }

        IReadOnlyList<CleanedManifest> deleted = [];
        if (removed.Count > 0 || policy.DeleteReferrers)
        {
            // Read again: what pushes did since the first read decides what is still in use.
            var now = removed.Count == 0 ? contents : await RepositoryContents.ReadAsync(storage.Driver, name, references.ReadAsync, cancellationToken);
            var plan = ManifestCleanup.Plan(now, removed, policy.DeleteUntagged, policy.DeleteReferrers);
            deleted = await ManifestCleanup.DeleteAsync(storage.Driver, now, plan, guard, cancellationToken);
        }

        string[] forgotten = [.. removed.Keys.Select(tag => tag.Value), .. deleted.Select(manifest => manifest.Digest.ToString())];
        if (forgotten.Length > 0)
        {
            await storage.Pulls.ForgetAsync(name, forgotten, cancellationToken);
        }

        return new RepositoryRetention(verdict, [.. removed.Keys], moved, deleted);
    }

    /// <summary>The repository's tags in name order, each with its push and pull times; a tag removed meanwhile is left out.</summary>
    private async Task<List<RetentionCandidate>> CandidatesAsync(RepositoryContents contents, CancellationToken cancellationToken)
    {
        var pulls = await storage.Pulls.ReadAsync(contents.Name, cancellationToken);
        var candidates = new List<RetentionCandidate>();
        foreach (var (tag, digest) in contents.Targets.OrderBy(target => target.Key.Value, StringComparer.Ordinal))
        {
            if (await storage.Uncached.StatAsync(RegistryPaths.TagCurrentLink(contents.Name, tag), cancellationToken) is not { } link)
            {
                continue;
            }

            var pulledAt = Later(pulls.TryGetValue(tag.Value, out var byTag) ? byTag : null, pulls.TryGetValue(digest.ToString(), out var byDigest) ? byDigest : null);
            var immutable = immutableTags.IsEmpty ? null : immutableTags.Find(contents.Name, tag)?.Key;
            candidates.Add(new RetentionCandidate(tag, digest, link.ModifiedAt, pulledAt, immutable));
        }

        return candidates;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
