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
    /// <param name="guard">How manifests are deleted: freely offline, condemned first inside an online cycle.</param>
    public async Task<RetentionResult> RunAsync(bool dryRun, IDeletionGuard guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var references = new ReferenceCache(storage.Driver);
        var repositories = new List<RepositoryRetention>();
        foreach (var name in (await CatalogScan.FindAsync(storage.Driver, cancellationToken)).Select(RepositoryName.Parse))
        {
            repositories.Add(policies.Find(name) is null
                ? new RepositoryRetention(new RepositoryVerdict(name, null, []), [], [], [], [])
                : await ApplyAsync(name, references, dryRun, guard, cancellationToken));
        }

        return new RetentionResult(repositories, dryRun);
    }

    /// <remarks>
    /// A tag whose removal leaves its manifest to delete is removed only once that manifest, and all that goes with it,
    /// is condemned (<see cref="IDeletionGuard"/>): a request that relies on one of them (a push of it in this
    /// collection or the last) keeps the tag until a later collection, which tries again. Removing the tag first and
    /// failing to delete the manifest would leave an untagged manifest no later run connects to the removed tag.
    /// </remarks>
    private async Task<RepositoryRetention> ApplyAsync(RepositoryName name, ReferenceCache references, bool dryRun, IDeletionGuard guard,
        CancellationToken cancellationToken)
    {
        var contents = await RepositoryContents.ReadAsync(storage.Driver, name, references.ReadAsync, cancellationToken);
        var verdict = _evaluator.Evaluate(name, await CandidatesAsync(contents, cancellationToken));
        var policy = verdict.Policy!;
        var condemned = verdict.Removed.ToDictionary(tag => tag.Tag, tag => tag.Candidate.Digest);
        var plan = ManifestCleanup.Plan(contents, condemned, policy.DeleteUntagged, policy.DeleteReferrers);
        if (dryRun)
        {
            return new RepositoryRetention(verdict, [.. condemned.Keys], [], [], plan);
        }

        var groups = ManifestCleanup.Groups(plan);
        var held = new HashSet<Digest>();
        var (removed, moved, deferred) = (new Dictionary<Tag, Digest>(), new List<Tag>(), new List<Tag>());
        IReadOnlyList<CleanedManifest> deleted = [];
        try
        {
            foreach (var (tag, digest) in condemned)
            {
                if (groups.TryGetValue(digest, out var group) && !await CondemnAllAsync(group, held, guard, cancellationToken))
                {
                    deferred.Add(tag);
                }
                else if (await storage.Store.RemoveTagIfUnchangedAsync(name, tag, digest, cancellationToken))
                {
                    removed[tag] = digest;
                }
                else
                {
                    moved.Add(tag);
                }
            }

            // Chains that start at a referrer whose subject was gone before this run: nothing to remove first.
            foreach (var (root, group) in groups.Where(group => !condemned.ContainsValue(group.Key)))
            {
                await CondemnAllAsync(group, held, guard, cancellationToken);
            }

            if (held.Count > 0)
            {
                // Read again: a tag that moved keeps its old manifest in use; only what is still planned and held goes.
                var now = await RepositoryContents.ReadAsync(storage.Driver, name, references.ReadAsync, cancellationToken);
                deleted = [.. ManifestCleanup.Plan(now, removed, policy.DeleteUntagged, policy.DeleteReferrers).Where(manifest => held.Contains(manifest.Digest))];
                await ManifestCleanup.DeleteAsync(storage.Driver, now, deleted, cancellationToken);
            }
        }
        finally
        {
            foreach (var digest in held)
            {
                // Requests waiting to write this content anew go on, whether the deletion finished or failed.
                await guard.ReleaseAsync(digest, CancellationToken.None);
            }
        }

        string[] forgotten = [.. removed.Keys.Select(tag => tag.Value), .. deleted.Select(manifest => manifest.Digest.ToString())];
        if (forgotten.Length > 0)
        {
            await storage.Pulls.ForgetAsync(name, forgotten, cancellationToken);
        }

        return new RepositoryRetention(verdict, [.. removed.Keys], moved, deferred, deleted);
    }

    /// <summary>Condemns every manifest of <paramref name="group"/> not held yet; all or none (those it took are released on failure).</summary>
    private static async Task<bool> CondemnAllAsync(List<CleanedManifest> group, HashSet<Digest> held, IDeletionGuard guard,
        CancellationToken cancellationToken)
    {
        var taken = new List<Digest>();
        foreach (var manifest in group.Where(manifest => !held.Contains(manifest.Digest)))
        {
            if (!await guard.TryCondemnAsync(manifest.Digest, cancellationToken))
            {
                foreach (var digest in taken)
                {
                    await guard.ReleaseAsync(digest, CancellationToken.None);
                }

                return false;
            }

            taken.Add(manifest.Digest);
        }

        held.UnionWith(taken);
        return true;
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
