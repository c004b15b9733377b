namespace Berth.Configuration;

/// <summary><c>health.*</c>: the checks that take the registry out of rotation while they fail.</summary>
public sealed record HealthSettings
{
    /// <summary>registry:2's interval when a check names none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>Berth's bound on one http or tcp probe when <c>timeout</c> is not written (registry:2 waits without one).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary><c>health.storagedriver</c>; null when not enabled.</summary>
    public PeriodicCheckSettings? StorageDriver { get; init; }

    /// <summary><c>health.file[]</c>: each fails while its file exists.</summary>
    public IReadOnlyList<FileCheckSettings> Files { get; init; } = [];

    /// <summary><c>health.http[]</c>: each fails while its URI does not answer the expected status.</summary>
    public IReadOnlyList<HttpCheckSettings> Http { get; init; } = [];

    /// <summary><c>health.tcp[]</c>: each fails while its address refuses a connection.</summary>
    public IReadOnlyList<TcpCheckSettings> Tcp { get; init; } = [];

    public bool Any => StorageDriver is not null || Files.Count > 0 || Http.Count > 0 || Tcp.Count > 0;
}

/// <summary>How often a check runs and how many failures in a row make it count as failed.</summary>
public record PeriodicCheckSettings
{
    public TimeSpan Interval { get; init; } = HealthSettings.DefaultInterval;

    /// <summary>Failures in a row before the check counts as failed; 0 and 1 both mean the first failure.</summary>
    public int Threshold { get; init; }
}

/// <summary><c>health.file[i]</c>; registry:2 has no threshold for file checks.</summary>
public sealed record FileCheckSettings(string File) : PeriodicCheckSettings;

/// <summary><c>health.http[i]</c>: a HEAD request to <see cref="Uri"/>.</summary>
public sealed record HttpCheckSettings(Uri Uri) : PeriodicCheckSettings
{
    public int StatusCode { get; init; } = 200;

    public TimeSpan Timeout { get; init; } = HealthSettings.DefaultTimeout;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary><c>health.tcp[i]</c>: a TCP connection to <see cref="Addr"/> (host:port).</summary>
public sealed record TcpCheckSettings(string Addr) : PeriodicCheckSettings
{
    public TimeSpan Timeout { get; init; } = HealthSettings.DefaultTimeout;
}

/// <summary><c>http.debug.*</c>: the second, plain-HTTP port for health probes (and later metrics).</summary>
public sealed record DebugSettings
{
    /// <summary><c>http.debug.addr</c> as written.</summary>
    public required string Addr { get; init; }

    public System.Net.IPAddress? ListenAddress { get; init; }

    public int ListenPort { get; init; }

    /// <summary>
    /// <c>http.debug.prometheus.enabled</c>: metrics are gathered and served at <see cref="PrometheusPath"/>. Without a
    /// debug port there is no <see cref="DebugSettings"/>, so none are gathered where nobody could read them.
    /// </summary>
    public bool PrometheusEnabled { get; init; }

    /// <summary><c>http.debug.prometheus.path</c>, <c>/metrics</c> by default.</summary>
    public string PrometheusPath { get; init; } = "/metrics";

    /// <summary>The default of <see cref="PrometheusRepositories"/>.</summary>
    public const int DefaultPrometheusRepositories = 50;

    /// <summary>
    /// <c>http.debug.prometheus.repositories</c>: how many repositories get a label of their own in the per-repository
    /// byte counters; the rest are counted as <c>other</c>. Bounds those series at this plus one per counter.
    /// </summary>
    public int PrometheusRepositories { get; init; } = DefaultPrometheusRepositories;
}
