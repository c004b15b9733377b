using Berth.Storage.Drivers;
using Berth.Storage.Stores;

namespace Berth.Storage.Retention;

/// <summary>The storage retention reads and changes.</summary>
/// <param name="Store">Removes tags, each only if unchanged (<see cref="RegistryStore.RemoveTagIfUnchangedAsync"/>).</param>
/// <param name="Driver">Reads links and manifests and deletes them, as requests do (with Redis, through the link cache).</param>
/// <param name="Uncached">The driver without the link cache, for the push time of a tag (its current link's modification
/// time), which the cache does not keep. The same as <paramref name="Driver"/> without Redis.</param>
/// <param name="Pulls">The recorded pull times.</param>
public sealed record RetentionStorage(RegistryStore Store, IStorageDriver Driver, IStorageDriver Uncached, IPullTimeStore Pulls);
