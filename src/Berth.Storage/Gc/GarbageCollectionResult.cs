using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// What a collection found. On a dry run the deleted lists are what would have been deleted: nothing was.
/// </summary>
/// <param name="Marked">Every digest in use: kept manifests and all they reference.</param>
/// <param name="DeletedBlobs">Blobs removed from <c>blobs/</c>, in digest order.</param>
/// <param name="DeletedManifests">Untagged manifests removed from their repository (with --delete-untagged).</param>
public sealed record GarbageCollectionResult(
    IReadOnlySet<Digest> Marked,
    IReadOnlyList<Digest> DeletedBlobs,
    IReadOnlyList<ManifestRevision> DeletedManifests);
