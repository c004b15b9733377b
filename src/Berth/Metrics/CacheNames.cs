namespace Berth.Metrics;

/// <summary>The <c>cache</c> label of <c>berth_storage_cache_total</c>: one value per cache Berth keeps.</summary>
internal static class CacheNames
{
    /// <summary>Parsed manifests by digest, in this process.</summary>
    public const string Manifests = "manifests";

    /// <summary>Sorted tag lists by repository, in this process.</summary>
    public const string Tags = "tags";

    /// <summary>Links and blob sizes in Redis, only with <c>redis</c> configured.</summary>
    public const string Links = "links";
}
