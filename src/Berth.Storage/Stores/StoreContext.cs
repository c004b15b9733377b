using Berth.Storage.Drivers;

namespace Berth.Storage.Stores;

/// <summary>What every repository's stores share: the driver, the options and the process-wide caches.</summary>
internal sealed record StoreContext(
    IStorageDriver Driver,
    StoreOptions Options,
    TimeProvider Time,
    CatalogIndex Catalog,
    ManifestCache Manifests,
    UploadHashes UploadHashes,
    StripedLocks UploadLocks,
    TagListCache TagLists);
