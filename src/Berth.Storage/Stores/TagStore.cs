using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// The tags of one repository: the folder names under <c>_manifests/tags</c>. A request costs one stat of that
/// folder while the cached, sorted list is still valid for its modification time; a listing only after a change.
/// Object stores have no folders, so their drivers report no folder time (<see cref="DateTimeOffset.MinValue"/>):
/// nothing proves a list current there, whichever node changed it, so it is listed from storage every time.
/// </summary>
internal sealed class TagStore(StoreContext context, RepositoryName name) : ITagStore
{
    public async Task<IReadOnlyList<string>?> ListAsync(CancellationToken cancellationToken)
    {
        var folder = await context.Driver.StatAsync(RegistryPaths.Tags(name), cancellationToken);
        var cacheable = folder is { IsDirectory: true } && folder.ModifiedAt != DateTimeOffset.MinValue;
        if (cacheable && context.TagLists.Get(name.Value, folder!.ModifiedAt) is { } cached)
        {
            return cached;
        }

        var tags = await ReadAsync(cancellationToken);
        if (tags is not null && cacheable)
        {
            context.TagLists.Put(name.Value, folder!.ModifiedAt, tags);
        }

        return tags;
    }

    private async Task<List<string>?> ReadAsync(CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        await foreach (var entry in context.Driver.ListAsync(RegistryPaths.Tags(name), cancellationToken))
        {
            if (entry.IsDirectory && Tag.TryParse(entry.Path.Name, out _))
            {
                tags.Add(entry.Path.Name);
            }
        }

        if (tags.Count == 0 && !await context.Catalog.ContainsAsync(name, cancellationToken) && !await ExistsInStorageAsync(cancellationToken))
        {
            return null;
        }

        tags.Sort(StringComparer.Ordinal);
        return tags;
    }

    /// <summary>
    /// The catalog's rule: a folder is a repository when it holds <c>_layers</c> or <c>_manifests</c>. The folder
    /// alone is not enough: <c>team</c> exists on the way to <c>team/app</c>, and an upload alone makes none.
    /// </summary>
    private async Task<bool> ExistsInStorageAsync(CancellationToken cancellationToken)
    {
        var repository = RegistryPaths.Repository(name);
        return await context.Driver.StatAsync(repository.Append(RegistryPaths.ManifestsFolder), cancellationToken) is not null
            || await context.Driver.StatAsync(repository.Append(RegistryPaths.LayersFolder), cancellationToken) is not null;
    }
}
