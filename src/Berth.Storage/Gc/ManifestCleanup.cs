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

    /// <summary>Deletes the planned manifests as the collector deletes an untagged one, each through <paramref name="guard"/>.</summary>
    /// <returns>Those deleted; one a request protected meanwhile (tagged or pushed again) stays.</returns>
    public static async Task<IReadOnlyList<CleanedManifest>> DeleteAsync(IStorageDriver driver, RepositoryContents contents,
        IReadOnlyList<CleanedManifest> plan, GuardedDeletion guard, CancellationToken cancellationToken)
    {
        var subjects = contents.Revisions.ToDictionary(revision => revision.Digest, revision => revision.References.Subject);
        var deleted = new List<CleanedManifest>();
        foreach (var manifest in plan)
        {
            var untagged = new UntaggedManifest(new ManifestRevision(contents.Name, manifest.Digest), subjects[manifest.Digest], contents.Tags);
            if (await guard(manifest.Digest, () => GcSweeper.RemoveManifestAsync(driver, untagged, cancellationToken), cancellationToken))
            {
                deleted.Add(manifest);
            }
        }

        return deleted;
    }
}
