namespace Berth.Core.Stores;

/// <summary>
/// How a pull-through cache stores a manifest an upstream sent: exactly as sent, tagged when fetched by tag, without
/// the checks of a push. Its blobs and child manifests arrive later, as clients pull them, so they may be missing;
/// and the upstream, not this registry's immutability rules, decides where its tags point.
/// </summary>
public interface IMirroredManifests
{
    /// <param name="reference">The tag it was fetched by, or its digest.</param>
    /// <exception cref="Errors.RegistryException">The bytes are no manifest, or do not match a digest reference.</exception>
    Task<StoredManifest> PutMirroredAsync(Reference reference, ReadOnlyMemory<byte> bytes, string? contentType, CancellationToken cancellationToken);
}
