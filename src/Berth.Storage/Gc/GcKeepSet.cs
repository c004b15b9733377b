using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// Which manifests of a repository --delete-untagged keeps. registry:2 2.8 keeps only what a tag points at now,
/// which deletes the per-platform children of a tagged multi-arch index and the signatures and SBOMs attached to a
/// tagged image: both still reachable, both then broken. Berth keeps a manifest when a tag points at it, when a
/// kept index names it, or when its <c>subject</c> is a kept manifest (a referrer), to a fixed point: the children
/// of a kept referrer index, the signature of a signature, and so on.
/// </summary>
internal static class GcKeepSet
{
    /// <returns>Every kept manifest, each with why: the first kept manifest found to name it (null for a tagged one).</returns>
    public static Dictionary<Digest, GcKeepReason> Compute(IReadOnlyList<StoredRevision> revisions, IReadOnlySet<Digest> tagged)
    {
        var byDigest = revisions.ToDictionary(revision => revision.Digest);
        var referrers = revisions.Where(revision => revision.References.Subject is not null)
            .ToLookup(revision => revision.References.Subject!.Value, revision => revision.Digest);
        var kept = new Dictionary<Digest, GcKeepReason>();
        var pending = new Queue<Digest>();

        void Keep(Digest digest, GcKeepReason reason)
        {
            // Only this repository's revisions: a child or referrer that is not here has nothing to keep.
            if (byDigest.ContainsKey(digest) && kept.TryAdd(digest, reason))
            {
                pending.Enqueue(digest);
            }
        }

        // Tagged ones first, so a manifest both tagged and named by another is reported as tagged.
        foreach (var digest in tagged)
        {
            Keep(digest, GcKeepReason.Tagged);
        }

        while (pending.TryDequeue(out var digest))
        {
            foreach (var child in byDigest[digest].References.Children)
            {
                Keep(child, new GcKeepReason(digest, AsReferrer: false));
            }

            foreach (var referrer in referrers[digest])
            {
                Keep(referrer, new GcKeepReason(digest, AsReferrer: true));
            }
        }

        return kept;
    }
}
