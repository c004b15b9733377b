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

    public ManifestCache(long sizeLimitBytes)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimitBytes, CompactionPercentage = 0.25 });
    }

    public StoredManifest? Get(Digest digest) => _cache.Get<StoredManifest>(digest);

    public void Put(StoredManifest manifest) =>
        _cache.Set(manifest.Digest, manifest, new MemoryCacheEntryOptions { Size = manifest.Bytes.Length * 3L + 512 });

    public void Dispose() => _cache.Dispose();
}
