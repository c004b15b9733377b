using Berth.Core;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.State;

/// <summary>The catalog's walk of storage, which every catalog index starts from and the garbage collector lists.</summary>
public static class CatalogScan
{
    /// <summary>Finds every repository in storage: folders that hold <c>_layers</c> or <c>_manifests</c>, in ordinal order.</summary>
    public static async Task<SortedSet<string>> FindAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var (name, folder) in RepositoryFolders.DataFoldersAsync(driver, cancellationToken))
        {
            if (folder.Path.Name is RegistryPaths.LayersFolder or RegistryPaths.ManifestsFolder && RepositoryName.TryParse(name, out _))
            {
                found.Add(name);
            }
        }

        return found;
    }
}
