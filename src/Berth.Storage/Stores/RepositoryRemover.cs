using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// Deletes a whole repository: only its own data folders (<c>_manifests</c>, <c>_layers</c>, <c>_uploads</c>,
/// <c>_referrers</c>), never a
/// nested repository (<c>team/app</c> below <c>team</c>) and never a blob. The order makes a crash at any point safe:
/// tags go first, so every intermediate state is a repository without tags whose manifests and blobs still resolve,
/// never a tag pointing at nothing; the next call (which still finds the repository) finishes the rest, and the
/// catalog forgets the name only once storage holds nothing of it.
/// </summary>
internal sealed class RepositoryRemover(StoreContext context)
{
    public async Task<RepositoryDeletion?> DeleteAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        DeletePolicy.EnsureEnabled(context.Options);
        var repository = RegistryPaths.Repository(name);
        var manifests = repository.Append(RegistryPaths.ManifestsFolder);
        var layers = repository.Append(RegistryPaths.LayersFolder);
        var inStorage = await ExistsAsync(manifests, cancellationToken) || await ExistsAsync(layers, cancellationToken);
        if (!inStorage && !await context.Catalog.ContainsAsync(name, cancellationToken))
        {
            return null;
        }

        var tags = await FoldersAsync(RegistryPaths.Tags(name), cancellationToken);
        var tagged = tags.Select(folder => Tag.TryParse(folder, out var tag) ? tag : (Tag?)null).OfType<Tag>().ToList();
        ImmutableTagGuard.BeforeRepositoryDelete(context, name, tagged);
        var revisions = await FoldersAsync(manifests.Append("revisions", "sha256"), cancellationToken);

        await context.Driver.DeleteAsync(RegistryPaths.Tags(name), cancellationToken);
        context.TagLists.Invalidate(name.Value);
        await context.Driver.DeleteAsync(manifests, cancellationToken);
        // Then every other data folder (_layers, _uploads, Berth's _referrers), which is all a repository's own folder
        // holds besides the folders of nested repositories.
        foreach (var folder in await FoldersAsync(repository, cancellationToken))
        {
            if (folder.StartsWith('_'))
            {
                await context.Driver.DeleteAsync(repository.Append(folder), cancellationToken);
            }
        }

        await DeleteIfEmptyAsync(repository, cancellationToken);
        await context.Catalog.RemoveAsync(name, cancellationToken);

        var digests = revisions.Select(hex => Digest.TryParse("sha256:" + hex, out var digest) ? digest : (Digest?)null).OfType<Digest>().ToList();
        return new RepositoryDeletion(tagged, digests);
    }

    private async Task<bool> ExistsAsync(StoragePath path, CancellationToken cancellationToken) =>
        await context.Driver.StatAsync(path, cancellationToken) is not null;

    private async Task<List<string>> FoldersAsync(StoragePath folder, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var entry in context.Driver.ListAsync(folder, cancellationToken))
        {
            if (entry.IsDirectory)
            {
                names.Add(entry.Path.Name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// The repository's own folder goes too when nothing is left in it, so an empty <c>team</c> does not linger; a
    /// nested repository keeps it. Object stores have no folders: there the deletes above left nothing to remove.
    /// </summary>
    private async Task DeleteIfEmptyAsync(StoragePath repository, CancellationToken cancellationToken)
    {
        await foreach (var _ in context.Driver.ListAsync(repository, cancellationToken))
        {
            return;
        }

        if (await context.Driver.StatAsync(repository, cancellationToken) is not null)
        {
            await context.Driver.DeleteAsync(repository, cancellationToken);
        }
    }
}
