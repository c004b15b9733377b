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
    public static HashSet<Digest> Compute(IReadOnlyList<StoredRevision> revisions, IReadOnlySet<Digest> tagged)
    {
        var byDigest = revisions.ToDictionary(revision => revision.Digest);
        var referrers = revisions.Where(revision => revision.References.Subject is not null)
            .ToLookup(revision => revision.References.Subject!.Value, revision => revision.Digest);
        var kept = new HashSet<Digest>();
        var pending = new Queue<Digest>();

        void Keep(Digest digest)
        {
            // Only this repository's revisions: a child or referrer that is not here has nothing to keep.
            if (byDigest.ContainsKey(digest) && kept.Add(digest))
            {
                pending.Enqueue(digest);
            }
        }

        foreach (var digest in tagged)
        {
            Keep(digest);
        }

        while (pending.TryDequeue(out var digest))
        {
            foreach (var child in byDigest[digest].References.Children)
            {
                Keep(child);
            }

            foreach (var referrer in referrers[digest])
            {
                Keep(referrer);
            }
        }

        return kept;
    }
}
