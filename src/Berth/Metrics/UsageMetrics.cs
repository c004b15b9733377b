using System.Diagnostics.Metrics;
using Berth.Storage.Usage;

namespace Berth.Metrics;

/// <summary>
/// Storage used, as the last mark of garbage collection (or the usage scan) counted it and <see cref="UsageCache"/> holds
/// it: <c>berth_storage_repository_bytes{repository,kind}</c> for the <c>limit</c> repositories using the most
/// (<c>http.debug.prometheus.repositories</c>, the setting that bounds the traffic series) and <c>repository="other"</c>
/// for the rest together, <c>berth_storage_bytes_in_use</c> and <c>berth_storage_usage_computed_timestamp_seconds</c>.
/// Nothing is printed until some figures exist.
/// </summary>
/// <remarks>
/// Unlike the traffic counters (first come, kept for life), these are gauges of a snapshot: the top N is ranked again
/// from each new snapshot, and a repository that leaves it simply stops being printed. A gauge that vanishes loses
/// nothing (the bytes move to <c>other</c>, whose series then rises), where a counter that vanished would read as a
/// reset. So the series are at most <c>2 × (limit + 1)</c> at any time, and the sums over <c>repository</c> stay the
/// registry's totals of unique and shared bytes.
/// </remarks>
internal sealed class UsageMetrics
{
    private static readonly KeyValuePair<string, object?> Unique = new("kind", "unique");
    private static readonly KeyValuePair<string, object?> Shared = new("kind", "shared");

    private readonly UsageCache _usage;
    private readonly int _limit;
    private Ranked? _ranked;

    public UsageMetrics(Meter meter, UsageCache usage, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        (_usage, _limit) = (usage, limit);
        meter.CreateObservableGauge("berth_storage_repository_bytes", ObserveRepositories, "By",
            "Bytes of the blobs each repository references, as the last garbage collection mark counted them, by kind: unique (no other "
            + "repository references them) or shared (others do too). The N repositories using the most; the rest as other.");
        meter.CreateObservableGauge("berth_storage_bytes_in_use", () => Observe(usage => usage.BytesInUse), "By",
            "Bytes of every blob in use, each counted once, as of the last garbage collection mark.");
        meter.CreateObservableGauge("berth_storage_usage_computed_timestamp_seconds", () => Observe(usage => usage.ComputedAt.ToUnixTimeSeconds()), "s",
            "When the storage used figures were computed, in seconds since the Unix epoch.");
    }

    private IEnumerable<Measurement<long>> Observe(Func<StorageUsage, long> value) =>
        _usage.Latest is { } usage ? [new Measurement<long>(value(usage))] : [];

    private IEnumerable<Measurement<long>> ObserveRepositories()
    {
        if (_usage.Latest is not { } usage)
        {
            return [];
        }

        // Ranked once per snapshot, not per scrape: thousands of repositories, one snapshot an hour.
        var ranked = _ranked;
        if (ranked is null || !ReferenceEquals(ranked.Usage, usage))
        {
            _ranked = ranked = Rank(usage);
        }

        return ranked.Measurements;
    }

    private Ranked Rank(StorageUsage usage)
    {
        var ordered = usage.Repositories
            .Where(repository => repository.Repository.Value != RepositoryTraffic.Other)
            .OrderByDescending(repository => repository.TotalBytes)
            .ThenBy(repository => repository.Repository.Value, StringComparer.Ordinal)
            .ToList();
        var measurements = new List<Measurement<long>>();
        foreach (var repository in ordered.Take(_limit))
        {
            var label = new KeyValuePair<string, object?>("repository", repository.Repository.Value);
            measurements.Add(new Measurement<long>(repository.UniqueBytes, label, Unique));
            measurements.Add(new Measurement<long>(repository.SharedBytes, label, Shared));
        }

        var rest = usage.Repositories.Except(ordered.Take(_limit)).ToList();
        if (rest.Count > 0)
        {
            var other = new KeyValuePair<string, object?>("repository", RepositoryTraffic.Other);
            measurements.Add(new Measurement<long>(rest.Sum(repository => repository.UniqueBytes), other, Unique));
            measurements.Add(new Measurement<long>(rest.Sum(repository => repository.SharedBytes), other, Shared));
        }

        return new Ranked(usage, measurements);
    }

    private sealed record Ranked(StorageUsage Usage, IReadOnlyList<Measurement<long>> Measurements);
}
