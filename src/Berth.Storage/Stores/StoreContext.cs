using Berth.Storage.Drivers;
using Berth.Storage.Gc.Online;
using Berth.Storage.State;

namespace Berth.Storage.Stores;

/// <summary>
/// What every repository's stores share: the driver, the options, the state shared with other nodes
/// (<see cref="RegistryState"/>) and the caches of this process, which hold only what every node would agree on.
/// </summary>
internal sealed record StoreContext(
    IStorageDriver Driver,
    StoreOptions Options,
    TimeProvider Time,
    ICatalogIndex Catalog,
    ManifestCache Manifests,
    UploadHashes UploadHashes,
    ISessionLocks UploadLocks,
    TagListCache TagLists,
    ICollectionBarrier Barrier);
