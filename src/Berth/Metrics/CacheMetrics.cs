using System.Diagnostics.Metrics;
using Berth.Storage.Stores;

namespace Berth.Metrics;

/// <summary>
/// registry:2's <c>registry_storage_cache_total{type}</c> (registry/storage/cache/cachedblobdescriptorstore.go: a
/// <c>Request</c>, then a <c>Hit</c> or a <c>Miss</c>) over Berth's caches, and <c>berth_storage_cache_total{cache,type}</c>
/// telling them apart. Made only with metrics on. The caches count in plain <see cref="CacheCounter"/>s (one interlocked
/// increment a lookup); the totals are read at scrape time, so a lookup never goes through the meter.
/// </summary>
internal sealed class CacheMetrics
{
    private const string Request = "Request";
    private const string Hit = "Hit";
    private const string Miss = "Miss";

    private readonly List<CacheCounter> _counters = [];

    public CacheMetrics(Meter meter)
    {
        meter.CreateObservableCounter("registry_storage_cache_total", Totals, description: "The number of cache request received");
        meter.CreateObservableCounter("berth_storage_cache_total", PerCache,
            description: "Lookups in each of Berth's caches, by type: Request, then Hit or Miss.");
    }

    /// <summary>A counter for the cache <paramref name="cache"/>, counted from now on.</summary>
    public CacheCounter Counter(string cache)
    {
        var counter = new CacheCounter(cache);
        lock (_counters)
        {
            _counters.Add(counter);
        }

        return counter;
    }

    private IEnumerable<Measurement<long>> Totals()
    {
        var (hits, misses) = (0L, 0L);
        foreach (var counter in Snapshot())
        {
            hits += counter.Hits;
            misses += counter.Misses;
        }

        return Measurements(hits, misses);
    }

    private IEnumerable<Measurement<long>> PerCache() =>
        Snapshot().SelectMany(counter => Measurements(counter.Hits, counter.Misses, counter.Name));

    /// <summary>Request from the same two reads as Hit and Miss, so one scrape always has Request = Hit + Miss.</summary>
    private static Measurement<long>[] Measurements(long hits, long misses, string? cache = null) =>
        [Measured(hits + misses, Request, cache), Measured(hits, Hit, cache), Measured(misses, Miss, cache)];

    private static Measurement<long> Measured(long value, string type, string? cache)
    {
        var typeLabel = new KeyValuePair<string, object?>("type", type);
        return cache is null
            ? new Measurement<long>(value, typeLabel)
            : new Measurement<long>(value, new KeyValuePair<string, object?>("cache", cache), typeLabel);
    }

    private CacheCounter[] Snapshot()
    {
        lock (_counters)
        {
            return [.. _counters];
        }
    }
}
