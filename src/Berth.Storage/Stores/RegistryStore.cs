using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;

namespace Berth.Storage.Stores;

/// <summary>The registry kept in the registry:2 layout on one storage driver.</summary>
public sealed class RegistryStore : IRegistryStore, IDisposable
{
    private readonly StoreContext _context;

    public RegistryStore(IStorageDriver driver, StoreOptions options, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        _context = new StoreContext(driver, options, clock, new CatalogIndex(), new ManifestCache(options.ManifestCacheBytes),
            new UploadHashes(), new StripedLocks(), new TagListCache(clock));
    }

    public ICatalog Catalog => _context.Catalog;

    /// <summary>Reads what storage already holds (the repository names for the catalog). Call once before serving.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _context.Catalog.LoadAsync(_context.Driver, cancellationToken);

    public IRepository Repository(RepositoryName name) => new Repository(_context, name);

    /// <summary>Removes upload sessions started more than <paramref name="age"/> ago (none in a dry run).</summary>
    public Task<UploadPurgeResult> PurgeUploadsAsync(TimeSpan age, bool dryRun, CancellationToken cancellationToken) =>
        new UploadPurger(_context).PurgeAsync(age, dryRun, cancellationToken);

    public void Dispose() => _context.Manifests.Dispose();
}
