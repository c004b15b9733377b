using System.Diagnostics.Metrics;

namespace Berth.Metrics;

/// <summary>
/// Berth's instruments, created only when <c>http.debug.prometheus.enabled</c>: with metrics off no instance exists and
/// nothing on the request path knows about them. Names, labels, help texts and buckets are registry:2's (docker/go-metrics
/// under the <c>registry</c> namespace), so dashboards made for registry:2 read Berth unchanged; names are written as
/// Prometheus exposes them, since <see cref="PrometheusCollector"/> prints them as they are.
/// </summary>
internal sealed class BerthMetrics : IDisposable
{
    public const string MeterName = "Berth";

    /// <summary>docker/go-metrics' defaultDurationBuckets (handler.go).</summary>
    internal static readonly double[] DurationBuckets = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 60];

    /// <summary>docker/go-metrics' size buckets: ExponentialBuckets(1024, 2, 22), 1 KiB to 4 GiB.</summary>
    internal static readonly double[] SizeBuckets = [.. Enumerable.Range(0, 22).Select(i => 1024d * Math.Pow(2, i))];

    /// <summary>prometheus.DefBuckets, which go-metrics' NewLabeledTimer (the storage action timer) uses.</summary>
    internal static readonly double[] TimerBuckets = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Histogram<long> _requestSize;
    private readonly Histogram<long> _responseSize;
    private readonly Histogram<double> _storageAction;
    private readonly Counter<long> _authAttempts;
    private long _uploadsInProgress;

    /// <param name="repositories"><c>http.debug.prometheus.repositories</c>: how many repositories get a label of their own.</param>
    public BerthMetrics(string version, int repositories = Configuration.DebugSettings.DefaultPrometheusRepositories)
    {
        Meter = new Meter(MeterName, version);
        _requests = Meter.CreateCounter<long>("registry_http_requests_total", description: "Total number of HTTP requests made.");
        _requestDuration = Meter.CreateHistogram("registry_http_request_duration_seconds", "s", "The HTTP request latencies in seconds.",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _inFlight = Meter.CreateUpDownCounter<long>("registry_http_in_flight_requests", description: "The in-flight HTTP requests");
        _requestSize = Meter.CreateHistogram("registry_http_request_size_bytes", "By", "The HTTP request sizes in bytes.",
            tags: null, new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets.Select(b => (long)b).ToArray() });
        _responseSize = Meter.CreateHistogram("registry_http_response_size_bytes", "By", "The HTTP response sizes in bytes.",
            tags: null, new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets.Select(b => (long)b).ToArray() });
        _storageAction = Meter.CreateHistogram("registry_storage_action_seconds", "s", "The number of seconds that the storage action takes",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = TimerBuckets });
        _authAttempts = Meter.CreateCounter<long>("berth_auth_attempts_total",
            description: "Authorization decisions on requests, by result: allowed, unauthorized (401, challenges included), denied (403).");
        // A constant 1 whose label carries the version, the Prometheus convention for build information.
        Meter.CreateObservableGauge("berth_build_info", () => new Measurement<long>(1, new KeyValuePair<string, object?>("version", version)),
            description: "The running Berth's version, as a label of the constant 1.");
        Repositories = new RepositoryTraffic(Meter, repositories);
        // Printed from the start, 0 included, as client_golang prints a gauge without labels.
        Meter.CreateObservableGauge("berth_uploads_in_progress", () => Interlocked.Read(ref _uploadsInProgress),
            description: "Blob upload requests (POST, PATCH, PUT) this node is serving now; sessions waiting for their next chunk are not counted.");
    }

    public Meter Meter { get; }

    public void RequestStarted(string handler) => _inFlight.Add(1, new KeyValuePair<string, object?>("handler", handler));

    /// <param name="handler">A <see cref="HttpLabels.Handler"/> string: labels are cached strings, never built per request.</param>
    public void RequestEnded(string handler, string method, int status, double seconds, long requestBytes, long responseBytes)
    {
        var handlerTag = new KeyValuePair<string, object?>("handler", handler);
        _inFlight.Add(-1, handlerTag);
        _requests.Add(1, handlerTag, new KeyValuePair<string, object?>("code", HttpLabels.Code(status)),
            new KeyValuePair<string, object?>("method", method));
        _requestDuration.Record(seconds, handlerTag, new KeyValuePair<string, object?>("method", method));
        _requestSize.Record(requestBytes, handlerTag);
        _responseSize.Record(responseBytes, handlerTag);
    }

    /// <param name="action">registry's storage driver method name: GetContent, PutContent, Stat, List, Move, Delete, ...</param>
    public void StorageAction(string driver, string action, double seconds) =>
        _storageAction.Record(seconds, new KeyValuePair<string, object?>("driver", driver), new KeyValuePair<string, object?>("action", action));

    public void AuthAttempt(string result) => _authAttempts.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>Bytes pushed and pulled per repository, with bounded labels.</summary>
    public RepositoryTraffic Repositories { get; }

    /// <summary>An upload request (POST, PATCH or PUT of an upload session) begins; <see cref="UploadEnded"/> follows it.</summary>
    public void UploadStarted() => Interlocked.Increment(ref _uploadsInProgress);

    public void UploadEnded() => Interlocked.Decrement(ref _uploadsInProgress);

    public void Dispose() => Meter.Dispose();
}
