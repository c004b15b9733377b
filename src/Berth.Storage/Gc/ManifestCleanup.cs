using Berth.Core;
using Berth.Storage.Drivers;

namespace Berth.Storage.Gc;

/// <summary>Why retention deletes a manifest.</summary>
public enum CleanupReason
{
    /// <summary>Retention removed its last tag (<c>deleteuntagged</c>).</summary>
    Untagged,

    /// <summary>A platform image of a multi-arch index deleted here, named by nothing kept (<c>deleteuntagged</c>).</summary>
    ChildOfDeleted,

    /// <summary>A referrer (signature, SBOM) whose subject manifest is gone or deleted here (<c>deletereferrers</c>).</summary>
    SubjectGone,
}

/// <summary>A manifest retention deletes from its repository; <paramref name="Because"/> is the manifest that led to it.</summary>
public sealed record CleanedManifest(Digest Digest, CleanupReason Reason, Digest? Because);

/// <summary>
/// What retention deletes besides tags, in one repository: the manifests whose last tag it removed (with a policy's
/// <c>deleteuntagged</c>), the platform images of such an index, and (with <c>deletereferrers</c>) referrers whose
/// subject is gone. Never a manifest <see cref="GcKeepSet"/> keeps: one another tag points at, a kept index names,
/// or that refers to a kept manifest. Manifests pushed by digest and never tagged are left to the collector's own
/// <c>deleteuntagged</c>. Blobs are left to the sweep that follows.
/// </summary>
internal static class ManifestCleanup
{
    /// <param name="contents">The repository as it is (after the tag removals; on a dry run, before them).</param>
    /// <param name="removed">The tags retention removed (or, on a dry run, would remove) and the manifests they named.</param>
    public static IReadOnlyList<CleanedManifest> Plan(RepositoryContents contents, IReadOnlyDictionary<Tag, Digest> removed,
        bool deleteUntagged, bool deleteReferrers)
    {
        var tagged = contents.Targets.Where(target => !removed.ContainsKey(target.Key)).Select(target => target.Value).ToHashSet();
        var kept = GcKeepSet.Compute(contents.Revisions, tagged);
        var byDigest = contents.Revisions.ToDictionary(revision => revision.Digest);
        var referrers = contents.Revisions.Where(revision => revision.References.Subject is not null)
            .ToLookup(revision => revision.References.Subject!.Value, revision => revision.Digest);
        var planned = new Dictionary<Digest, CleanedManifest>();
        var pending = new Queue<Digest>();

        void Delete(Digest digest, CleanupReason reason, Digest? because)
        {
            if (byDigest.ContainsKey(digest) && !kept.ContainsKey(digest) && planned.TryAdd(digest, new CleanedManifest(digest, reason, because)))
            {
                pending.Enqueue(digest);
            }
        }

        if (deleteUntagged)
        {
            foreach (var digest in removed.Values)
            {
                Delete(digest, CleanupReason.Untagged, null);
            }
        }

        if (deleteReferrers)
        {
            foreach (var revision in contents.Revisions)
            {
                if (revision.References.Subject is { } subject && !byDigest.ContainsKey(subject))
                {
                    Delete(revision.Digest, CleanupReason.SubjectGone, subject);
                }
            }
        }

        while (pending.TryDequeue(out var digest))
        {
            if (deleteUntagged)
            {
                foreach (var child in byDigest[digest].References.Children)
                {
                    Delete(child, CleanupReason.ChildOfDeleted, digest);
                }
            }

            if (deleteReferrers)
            {
                foreach (var referrer in referrers[digest])
                {
                    Delete(referrer, CleanupReason.SubjectGone, digest);
                }
            }
        }

        return [.. planned.Values];
    }

    /// <summary>
    /// The plan grouped by what started each chain: a manifest whose tag was removed (or a referrer whose subject was
    /// already gone) with all that goes because of it. A group is deleted whole or not at all: a platform image or
    /// signature left behind by its deleted index would be reachable by nothing, and found by no later run.
    /// </summary>
    public static Dictionary<Digest, List<CleanedManifest>> Groups(IReadOnlyList<CleanedManifest> plan)
    {
        var planned = plan.ToDictionary(manifest => manifest.Digest);
        Digest Root(CleanedManifest manifest) =>
            manifest.Because is { } parent && planned.TryGetValue(parent, out var because) ? Root(because) : manifest.Digest;

        return plan.GroupBy(Root).ToDictionary(group => group.Key, group => group.ToList());
    }

    /// <summary>Deletes each manifest as the collector deletes an untagged one: tag history entries, referrers entry, revision link.</summary>
    /// <param name="manifests">Manifests the caller may delete now (offline, or condemned in this cycle).</param>
    public static async Task DeleteAsync(IStorageDriver driver, RepositoryContents contents, IEnumerable<CleanedManifest> manifests,
        CancellationToken cancellationToken)
    {
        var subjects = contents.Revisions.ToDictionary(revision => revision.Digest, revision => revision.References.Subject);
        foreach (var manifest in manifests)
        {
            var untagged = new UntaggedManifest(new ManifestRevision(contents.Name, manifest.Digest), subjects[manifest.Digest], contents.Tags);
            await GcSweeper.RemoveManifestAsync(driver, untagged, cancellationToken);
        }
    }
}
