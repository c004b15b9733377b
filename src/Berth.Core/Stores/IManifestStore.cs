namespace Berth.Core.Stores;

/// <summary>Manifests of one repository, addressed by tag or digest.</summary>
public interface IManifestStore
{
    /// <returns>The manifest, or null if the tag or digest names none in this repository.</returns>
    Task<StoredManifest?> GetAsync(Reference reference, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="bytes"/> exactly, after checking them and that every blob and child manifest they
    /// name is in the repository (MANIFEST_BLOB_UNKNOWN otherwise). A digest reference must match the bytes.
    /// The manifest is tagged with the reference's tag, if any, and with <paramref name="extraTags"/>.
    /// </summary>
    Task<StoredManifest> PutAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType,
        IReadOnlyList<Tag> extraTags, CancellationToken cancellationToken);

    /// <summary>A tag reference removes only the tag; a digest removes the manifest and every tag on it.</summary>
    /// <returns>False if there was nothing to delete.</returns>
    Task<bool> DeleteAsync(Reference reference, CancellationToken cancellationToken);
}
