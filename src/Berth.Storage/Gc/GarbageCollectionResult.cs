using Berth.Core;
using Berth.Storage.Usage;

namespace Berth.Storage.Gc;

/// <summary>
/// What a collection found. On a dry run the deleted lists are what would have been deleted: nothing was.
/// </summary>
/// <param name="Marked">Every digest in use: kept manifests and all they reference.</param>
/// <param name="DeletedBlobs">Blobs removed from <c>blobs/</c>, in digest order.</param>
/// <param name="DeletedManifests">Untagged manifests removed from their repository (with --delete-untagged).</param>
/// <param name="Usage">Storage used per repository by what the mark kept, as written to <see cref="UsageStore"/> (not on a dry run).</param>
public sealed record GarbageCollectionResult(
    IReadOnlySet<Digest> Marked,
    IReadOnlyList<Digest> DeletedBlobs,
    IReadOnlyList<ManifestRevision> DeletedManifests,
    StorageUsage Usage);
