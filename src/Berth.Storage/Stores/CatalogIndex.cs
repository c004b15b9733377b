using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;

namespace Berth.Storage.Stores;

/// <summary>
/// The sorted names of all repositories, read from storage once at start and kept current as Berth writes, so a
/// catalog page never walks storage. A repository is listed once it holds a blob link or a manifest, which
/// covers what registry:2 lists too.
/// </summary>
internal sealed class CatalogIndex : ICatalog
{
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Page(string? last, int count, out bool hasMore)
    {
        lock (_lock)
        {
            IEnumerable<string> after = _names;
            if (last is not null)
            {
                // The view is O(log n) to find; 'last' itself is excluded as the spec says.
                after = _names.Count == 0 || string.CompareOrdinal(last, _names.Max) >= 0
                    ? []
                    : _names.GetViewBetween(last, _names.Max!).Where(name => name != last);
            }

            var page = after.Take(count + 1).ToList();
            hasMore = page.Count > count;
            return hasMore ? page[..count] : page;
        }
    }

    public bool Contains(RepositoryName name)
    {
        lock (_lock)
        {
            return _names.Contains(name.Value);
        }
    }

    public void Add(RepositoryName name)
    {
        lock (_lock)
        {
            _names.Add(name.Value);
        }
    }

    /// <summary>Finds every repository in storage: folders that hold <c>_layers</c> or <c>_manifests</c>.</summary>
    public async Task LoadAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (name, folder) in RepositoryFolders.DataFoldersAsync(driver, cancellationToken))
        {
            if (folder.Path.Name is RegistryPaths.LayersFolder or RegistryPaths.ManifestsFolder && RepositoryName.TryParse(name, out _))
            {
                found.Add(name);
            }
        }

        lock (_lock)
        {
            _names.UnionWith(found);
        }
    }
}
