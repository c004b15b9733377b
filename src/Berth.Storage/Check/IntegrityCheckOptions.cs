using Berth.Core.Manifests;
using Berth.Storage.Drivers;

namespace Berth.Storage.Check;

/// <summary>How <see cref="IntegrityChecker"/> runs.</summary>
public sealed record IntegrityCheckOptions
{
    /// <summary>
    /// Remove dangling links: tags whose current link names a manifest that is gone, and <c>_layers</c> links whose
    /// blob is gone. Nothing else is ever changed; blob data is never deleted or rewritten.
    /// </summary>
    public bool RepairLinks { get; init; }

    /// <summary>
    /// The driver removals go through. With Redis that is the link cache, so every node forgets a removed link;
    /// reads always go to <see cref="IntegrityChecker"/>'s own driver, so the check sees storage, not a cache.
    /// </summary>
    public IStorageDriver? RepairDriver { get; init; }

    /// <summary>Which index entries must be manifests of the repository (<c>validation.manifests.indexes</c>).</summary>
    public IndexChildPolicy IndexChildren { get; init; } = IndexChildPolicy.All;

    /// <summary>The observer hears of progress after every this many blobs hashed.</summary>
    public int ProgressInterval { get; init; } = 1000;
}
