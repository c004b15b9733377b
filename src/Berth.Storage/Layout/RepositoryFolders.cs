using Berth.Storage.Drivers;

namespace Berth.Storage.Layout;

/// <summary>
/// Walks registry:2's <c>repositories/</c> tree, where a repository's name is the path of the folders that do
/// not start with <c>_</c>, and its own data sits in the folders that do (<c>_layers</c>, <c>_manifests</c>,
/// <c>_uploads</c>). The catalog looks for the first two, upload purging for the third.
/// </summary>
internal static class RepositoryFolders
{
    /// <summary>Deeper than any real name; it bounds the walk of a tree made by something else.</summary>
    private const int MaxDepth = 64;

    /// <summary>Every data folder (name starting with <c>_</c>) with the repository path that holds it, e.g. <c>team/app</c>.</summary>
    public static IAsyncEnumerable<(string Repository, StorageEntry Folder)> DataFoldersAsync(IStorageDriver driver, CancellationToken cancellationToken) =>
        WalkAsync(driver, RegistryPaths.Repositories, string.Empty, 0, cancellationToken);

    private static async IAsyncEnumerable<(string Repository, StorageEntry Folder)> WalkAsync(IStorageDriver driver, StoragePath folder,
        string name, int depth, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            yield break;
        }

        await foreach (var child in driver.ListAsync(folder, cancellationToken))
        {
            if (!child.IsDirectory)
            {
                continue;
            }

            var childName = child.Path.Name;
            if (childName.StartsWith('_'))
            {
                yield return (name, child);
                continue;
            }

            await foreach (var found in WalkAsync(driver, child.Path, name.Length == 0 ? childName : name + "/" + childName, depth + 1, cancellationToken))
            {
                yield return found;
            }
        }
    }
}
