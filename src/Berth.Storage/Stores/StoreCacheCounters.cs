namespace Berth.Storage.Stores;

/// <summary>The counters of the caches a <see cref="RegistryStore"/> keeps in this process.</summary>
/// <param name="Manifests">Parsed manifests by digest.</param>
/// <param name="TagLists">Sorted tag lists by repository.</param>
public sealed record StoreCacheCounters(CacheCounter Manifests, CacheCounter TagLists);
