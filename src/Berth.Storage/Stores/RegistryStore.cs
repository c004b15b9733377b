using Berth.Core;
using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.State;

namespace Berth.Storage.Stores;

/// <summary>The registry kept in the registry:2 layout on one storage driver.</summary>
public sealed class RegistryStore : IRegistryStore, IDisposable
{
    private readonly StoreContext _context;
    private readonly RegistryState _state;

    /// <param name="state">
    /// The state shared with other nodes, owned (and disposed) by the store from here on; in process, for one node on a
    /// filesystem, when null.
    /// </param>
    /// <param name="cacheCounters">Where the caches count their hits and misses, with metrics on; null counts nothing.</param>
    public RegistryStore(IStorageDriver driver, StoreOptions options, TimeProvider? time = null, RegistryState? state = null,
        StoreCacheCounters? cacheCounters = null)
    {
        var clock = time ?? TimeProvider.System;
        _state = state ?? RegistryState.InProcess(clock);
        _context = new StoreContext(driver, options, clock, _state.Catalog, new ManifestCache(options.ManifestCacheBytes, cacheCounters?.Manifests),
            new UploadHashes(), _state.UploadLocks, new TagListCache(clock, cacheCounters?.TagLists), _state.Barrier);
    }

    public ICatalog Catalog => _context.Catalog;

    /// <summary>Reads what storage already holds (the repository names for the catalog). Call once before serving.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _context.Catalog.InitializeAsync(_context.Driver, cancellationToken);

    public IRepository Repository(RepositoryName name) => new Repository(_context, name);

    public Task<RepositoryDeletion?> DeleteRepositoryAsync(RepositoryName name, CancellationToken cancellationToken) =>
        new RepositoryRemover(_context).DeleteAsync(name, cancellationToken);

    /// <summary>
    /// Removes <paramref name="tag"/> only if it still names <paramref name="expected"/> (retention's removal; see
    /// <see cref="TagRemover"/>). Needs <see cref="StoreOptions.LockTagWrites"/> on every node that takes pushes.
    /// </summary>
    /// <returns>False when a push moved the tag meanwhile, it is gone, or it is immutable: nothing was removed.</returns>
    public Task<bool> RemoveTagIfUnchangedAsync(RepositoryName name, Tag tag, Digest expected, CancellationToken cancellationToken) =>
        new TagRemover(_context).RemoveIfUnchangedAsync(name, tag, expected, cancellationToken);

    /// <summary>Removes upload sessions started more than <paramref name="age"/> ago (none in a dry run).</summary>
    public Task<UploadPurgeResult> PurgeUploadsAsync(TimeSpan age, bool dryRun, CancellationToken cancellationToken) =>
        new UploadPurger(_context).PurgeAsync(age, dryRun, cancellationToken);

    public void Dispose()
    {
        _context.Manifests.Dispose();
        _state.Dispose();
    }
}
