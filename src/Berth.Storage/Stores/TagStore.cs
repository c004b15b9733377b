using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>The tags of one repository: the folder names under <c>_manifests/tags</c>, one listing per request.</summary>
internal sealed class TagStore(StoreContext context, RepositoryName name) : ITagStore
{
    public async Task<IReadOnlyList<string>?> ListAsync(CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        await foreach (var entry in context.Driver.ListAsync(RegistryPaths.Tags(name), cancellationToken))
        {
            if (entry.IsDirectory && Tag.TryParse(entry.Path.Name, out _))
            {
                tags.Add(entry.Path.Name);
            }
        }

        if (tags.Count == 0 && !context.Catalog.Contains(name)
            && await context.Driver.StatAsync(RegistryPaths.Repository(name), cancellationToken) is null)
        {
            return null;
        }

        tags.Sort(StringComparer.Ordinal);
        return tags;
    }
}
