using Berth.Core;
using Berth.Core.Stores;
using Microsoft.Extensions.Caching.Memory;

namespace Berth.Storage.Stores;

/// <summary>
/// Manifests by digest, parsed. Content addressed by digest never changes, so a cached entry is never stale;
/// whether a repository still holds the manifest is checked in storage on every request, not here.
/// </summary>
internal sealed class ManifestCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly CacheCounter? _counter;

    /// <param name="counter">Counts each <see cref="Get"/> a hit or a miss, with metrics on.</param>
    public ManifestCache(long sizeLimitBytes, CacheCounter? counter = null)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimitBytes, CompactionPercentage = 0.25 });
        _counter = counter;
    }

    public StoredManifest? Get(Digest digest)
    {
        var manifest = _cache.Get<StoredManifest>(digest);
        _counter?.Count(manifest is not null);
        return manifest;
    }

    public void Put(StoredManifest manifest) =>
        _cache.Set(manifest.Digest, manifest, new MemoryCacheEntryOptions { Size = manifest.Bytes.Length * 3L + 512 });

    public void Dispose() => _cache.Dispose();
}
