using Berth.Storage.Gc.Online;
using Berth.Storage.Stores;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.State;

/// <summary>
/// The state nodes share: one contract, two implementations. <see cref="InProcess"/> keeps it in this process (one
/// node, or several without Redis); Berth.Redis keeps it in Redis for several nodes. Nothing in here may decide
/// what a request for a tag or a manifest answers unless every node sees it: only content addressed by digest is
/// cached per node (the manifest cache), and tag lists only where folder times prove them current.
/// </summary>
/// <param name="Catalog">The repository names.</param>
/// <param name="UploadLocks">Serialises the requests of one upload session.</param>
/// <param name="Leases">Named leases with expiry (catalog rebuild, later the GC sweep).</param>
public sealed record RegistryState(ICatalogIndex Catalog, ISessionLocks UploadLocks, ILeases Leases) : IDisposable
{
    /// <summary>
    /// The catalog re-reads storage this often when it cannot see the other nodes' writes (object storage or several
    /// nodes without Redis): another node's new repository is listed at most this long (plus one walk) later.
    /// </summary>
    public static readonly TimeSpan DefaultCatalogRefresh = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What requests and the online garbage collector agree on (<see cref="ICollectionBarrier"/>); nothing recorded
    /// while online collection is off.
    /// </summary>
    public ICollectionBarrier Barrier { get; init; } = NoCollectionBarrier.Instance;

    /// <param name="catalogRefresh">
    /// Null for one node on a filesystem: storage is read once and kept current by this process's writes. Otherwise
    /// the interval of the background re-read that bounds how late another node's repository is listed.
    /// </param>
    public static RegistryState InProcess(TimeProvider? time = null, TimeSpan? catalogRefresh = null, ILogger? logger = null) =>
        new(new CatalogIndex(time ?? TimeProvider.System, catalogRefresh, logger), new StripedLocks(), new InProcessLeases(time ?? TimeProvider.System));

    public void Dispose()
    {
        (Catalog as IDisposable)?.Dispose();
        (UploadLocks as IDisposable)?.Dispose();
        (Leases as IDisposable)?.Dispose();
    }
}
