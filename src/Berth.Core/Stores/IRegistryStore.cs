namespace Berth.Core.Stores;

/// <summary>The whole registry: its repositories and the catalog of their names.</summary>
public interface IRegistryStore
{
    IRepository Repository(RepositoryName name);

    ICatalog Catalog { get; }

    /// <summary>
    /// Removes a whole repository: its tags, manifests, blob links and upload sessions (not the blobs, which garbage
    /// collection reclaims once nothing links them). Refused like a manifest delete (UNSUPPORTED when deletion is
    /// disabled) and when the repository holds an immutable tag.
    /// </summary>
    /// <returns>What was removed, or null when there is no such repository.</returns>
    Task<RepositoryDeletion?> DeleteRepositoryAsync(RepositoryName name, CancellationToken cancellationToken);
}
