using Berth.Core.Immutability;
using Berth.Core.Manifests;

namespace Berth.Storage.Stores;

/// <summary>Behaviour switches of the stores, from the registry configuration.</summary>
public sealed record StoreOptions
{
    /// <summary><c>storage.delete.enabled</c>: without it every delete is refused with UNSUPPORTED (405).</summary>
    public bool DeleteEnabled { get; init; }

    /// <summary><c>storage.redirect.disable</c>: blobs are streamed by Berth even when the driver could hand out a URL.</summary>
    public bool RedirectDisabled { get; init; }

    /// <summary>How many bytes of parsed manifests the in-memory cache may hold.</summary>
    public long ManifestCacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary><c>validation</c>: the layer URLs a manifest may carry and which index entries must exist.</summary>
    public ManifestValidationOptions Validation { get; init; } = ManifestValidationOptions.Default;

    /// <summary><c>storage.immutabletags</c>: tags that, once pushed, are never moved or deleted.</summary>
    public ImmutableTagRules ImmutableTags { get; init; } = ImmutableTagRules.None;

    /// <summary>
    /// Every tag push holds the repository's tag lock (<see cref="TagWriteLock"/>) while it writes its tags, so that
    /// retention's compare-and-remove cannot remove a tag a push moved meanwhile. On when retention is configured;
    /// off, only pushes of immutable tags take it.
    /// </summary>
    public bool LockTagWrites { get; init; }
}
