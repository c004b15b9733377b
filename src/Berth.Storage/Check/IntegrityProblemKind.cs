namespace Berth.Storage.Check;

/// <summary>What is wrong at one storage path. <see cref="IntegrityProblemKinds"/> names each for reports.</summary>
public enum IntegrityProblemKind
{
    /// <summary>A blob's content does not hash to the digest it is stored under.</summary>
    CorruptBlob,

    /// <summary>A manifest revision link whose manifest content is gone from <c>blobs/</c>.</summary>
    MissingBlob,

    /// <summary>A tag whose current link names a manifest the repository does not hold (or whose content is gone).</summary>
    DanglingTag,

    /// <summary>A <c>_layers</c> link to a blob whose content is gone.</summary>
    DanglingLayerLink,

    /// <summary>A link file that holds no digest, or a digest other than the one its folder names; or a tag without a current link.</summary>
    MalformedLink,

    /// <summary>A stored manifest that is no manifest registry:2 or Berth can read.</summary>
    UnparseableManifest,

    /// <summary>A config, layer or index child a manifest names whose content is not in <c>blobs/</c>.</summary>
    MissingReferencedBlob,

    /// <summary>Content a manifest names exists, but not in the repository: pulls of it fail there with BLOB_UNKNOWN or MANIFEST_UNKNOWN.</summary>
    UnlinkedReference,

    /// <summary>
    /// A note, not a problem: a manifest's <c>subject</c> is not in the repository. The OCI spec lets a referrer be
    /// pushed before its subject, so this is legal, and worth knowing when a signature points at nothing.
    /// </summary>
    MissingSubject,
}
