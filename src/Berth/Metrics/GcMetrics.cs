using System.Diagnostics.Metrics;
using Berth.Storage.Gc.Online;

namespace Berth.Metrics;

/// <summary>
/// Online garbage collection as Prometheus sees it: runs by result, how long they took, and what they removed.
/// registry:2 has no such series (its collector is a separate, offline command). Made only with metrics on.
/// </summary>
internal sealed class GcMetrics
{
    /// <summary>From a tenth of a second (a small registry) to an hour (a large one on an object store).</summary>
    private static readonly double[] DurationBuckets = [.1, .5, 1, 5, 15, 60, 300, 900, 1800, 3600];

    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _blobs;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _manifests;

    public GcMetrics(Meter meter)
    {
        _runs = meter.CreateCounter<long>("berth_gc_runs_total", description: "Online garbage collections, by result: ok or failed.");
        _duration = meter.CreateHistogram("berth_gc_duration_seconds", "s", "How long each online garbage collection took.",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _blobs = meter.CreateCounter<long>("berth_gc_blobs_deleted_total", description: "Blobs online garbage collection deleted.");
        _bytes = meter.CreateCounter<long>("berth_gc_bytes_deleted_total", "By", "Bytes of the blobs online garbage collection deleted.");
        _manifests = meter.CreateCounter<long>("berth_gc_manifests_deleted_total",
            description: "Untagged manifests online garbage collection removed from their repositories.");
    }

    public void Record(OnlineCollectionResult result)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("result", "ok"));
        _duration.Record(result.Duration.TotalSeconds);
        _blobs.Add(result.BlobsDeleted);
        _bytes.Add(result.BytesDeleted);
        _manifests.Add(result.ManifestsRemoved);
    }

    public void RecordFailure() => _runs.Add(1, new KeyValuePair<string, object?>("result", "failed"));
}
