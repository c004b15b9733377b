using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Gc;

/// <summary>What stored manifests reference, read once per digest however many repositories hold the manifest.</summary>
internal sealed class ReferenceCache(IStorageDriver driver)
{
    private readonly Dictionary<Digest, ManifestReferences?> _references = [];

    /// <returns>The references, or null when the manifest's content is missing (the revision is then skipped).</returns>
    /// <exception cref="GarbageCollectionException">The content is no manifest Berth can read.</exception>
    public async Task<ManifestReferences?> ReadAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (!_references.TryGetValue(digest, out var references))
        {
            var bytes = await driver.ReadAllAsync(RegistryPaths.BlobData(digest), cancellationToken);
            references = bytes is null ? null : ManifestReferences.Read(digest, bytes);
            _references[digest] = references;
        }

        return references;
    }
}
