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
    private const int MaxDepth = 64;
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
        var found = new List<string>();
        await WalkAsync(driver, RegistryPaths.Repositories, string.Empty, 0, found, cancellationToken);
        lock (_lock)
        {
            _names.UnionWith(found);
        }
    }

    private static async Task WalkAsync(IStorageDriver driver, StoragePath folder, string name, int depth, List<string> found,
        CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        await foreach (var child in driver.ListAsync(folder, cancellationToken))
        {
            if (!child.IsDirectory)
            {
                continue;
            }

            var childName = child.Path.Name;
            if (childName is RegistryPaths.LayersFolder or RegistryPaths.ManifestsFolder)
            {
                if (name.Length > 0 && RepositoryName.TryParse(name, out _) && (found.Count == 0 || found[^1] != name))
                {
                    found.Add(name);
                }
            }
            else if (!childName.StartsWith('_'))
            {
                await WalkAsync(driver, child.Path, name.Length == 0 ? childName : name + "/" + childName, depth + 1, found, cancellationToken);
            }
        }
    }
}
