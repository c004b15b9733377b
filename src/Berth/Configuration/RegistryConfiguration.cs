using Berth.Core.Immutability;
using Berth.Core.Retention;
using Berth.Storage.Drivers;
using Berth.Auth;
using Berth.Core.Manifests;
using Berth.Events;
using Berth.Tracing;

namespace Berth.Configuration;

/// <summary>
/// The typed configuration berth serves with: the registry:2 <c>config.yml</c> keys Berth implements, after the
/// file and the <c>REGISTRY_*</c> environment were merged and every value was checked.
/// </summary>
public sealed record RegistryConfiguration
{
    public LogSettings Log { get; init; } = new();

    public StorageSettings Storage { get; init; } = new();

    public HttpSettings Http { get; init; } = new();

    /// <summary><c>catalog.*</c> and <c>tags.*</c>: how large a listing page a client may ask for.</summary>
    public ListingLimits Listings { get; init; } = new();

    /// <summary><c>auth</c>: how callers log in; null when the registry is open to anonymous callers.</summary>
    public AuthSettings? Auth { get; init; }

    /// <summary><c>access</c> (Berth's own section): who may pull, push and delete what; null for registry:2's "all or nothing".</summary>
    public AccessPolicySettings? Access { get; init; }

    /// <summary><c>validation</c>: which layer URLs pushed manifests may carry, which index entries must exist.</summary>
    public ManifestValidationOptions Validation { get; init; } = ManifestValidationOptions.Default;

    /// <summary><c>health</c>: periodic checks; while one fails the registry answers 503.</summary>
    public HealthSettings Health { get; init; } = new();

    /// <summary><c>notifications</c>: the webhook endpoints events are delivered to; none by default.</summary>
    public NotificationSettings Notifications { get; init; } = new();

    /// <summary>
    /// <c>redis</c>: the state several nodes share (catalog, upload locks, link and blob-size cache); null keeps it in
    /// this process, for one node.
    /// </summary>
    public Berth.Redis.RedisOptions? Redis { get; init; }

    /// <summary><c>proxy</c>: the upstreams this registry is a pull-through cache of; none by default.</summary>
    public ProxySettings Proxy { get; init; } = new();

    /// <summary><c>ui</c>: the web page that shows what is stored; on by default.</summary>
    public UiSettings Ui { get; init; } = new();

    /// <summary>Tracing, from the standard <c>OTEL_*</c> variables rather than the file, as in registry:3.</summary>
    public TracingSettings Tracing { get; init; } = TracingSettings.Off;
}

public enum LogLevelSetting
{
    Error,
    Warn,
    Info,
    Debug,
}

public enum LogFormatter
{
    Text,
    Json,
    Logfmt,
    Logstash,
}

/// <summary><c>log.*</c></summary>
public sealed record LogSettings
{
    public LogLevelSetting Level { get; init; } = LogLevelSetting.Info;

    public LogFormatter Formatter { get; init; } = LogFormatter.Text;

    /// <summary><c>log.accesslog.disabled</c></summary>
    public bool AccessLogDisabled { get; init; }

    /// <summary><c>log.fields</c>: added to every log entry.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}

public enum StorageDriverKind
{
    Filesystem,
    InMemory,
    S3,
    Azure,
}

/// <summary><c>storage.*</c></summary>
public sealed record StorageSettings
{
    public StorageDriverKind Driver { get; init; } = StorageDriverKind.Filesystem;

    /// <summary>The bound <c>storage.s3</c> or <c>storage.azure</c> section, which makes its driver; null for the local drivers.</summary>
    public IStorageDriverFactory? ObjectStore { get; init; }

    /// <summary>The driver's name in logs, metrics and health checks (<c>filesystem</c>, <c>inmemory</c>, <c>s3</c>, <c>azure</c>).</summary>
    public string DriverName => ObjectStore?.DriverName ?? (Driver == StorageDriverKind.InMemory ? "inmemory" : "filesystem");

    /// <summary><c>storage.filesystem.rootdirectory</c></summary>
    public string RootDirectory { get; init; } = "/var/lib/registry";

    /// <summary><c>storage.delete.enabled</c>: false, as in registry:2, so DELETE answers 405.</summary>
    public bool DeleteEnabled { get; init; }

    /// <summary>
    /// <c>storage.redirect.disable</c>: blob downloads stream through Berth instead of redirecting to the object
    /// store's presigned URL (the filesystem and inmemory drivers always stream).
    /// </summary>
    public bool RedirectDisabled { get; init; }

    /// <summary><c>storage.cache.blobdescriptor</c> as written (<c>inmemory</c>, <c>redis</c>); null when absent.</summary>
    public string? BlobDescriptorCache { get; init; }

    /// <summary><c>storage.cache.blobs</c>: this node's copies of the blobs it serves (object stores only); null when off.</summary>
    public Storage.BlobCache.NodeBlobCacheOptions? BlobCache { get; init; }

    /// <summary><c>storage.maintenance.uploadpurging</c>: on by default, as in registry:2.</summary>
    public UploadPurgingSettings UploadPurging { get; init; } = new();

    /// <summary><c>storage.maintenance.gc</c>: garbage collection while serving; off by default.</summary>
    public OnlineGcSettings Gc { get; init; } = new();

    /// <summary>
    /// <c>storage.maintenance.readonly.enabled</c>: every write (push, upload, delete) answers 405 UNSUPPORTED and upload
    /// purging does not run, so storage stays as it is while, say, <c>garbage-collect</c> runs against it.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>storage.immutabletags</c>: Berth's tag immutability rules; none by default.</summary>
    public ImmutableTagRules ImmutableTags { get; init; } = ImmutableTagRules.None;

    /// <summary>
    /// <c>storage.retention</c>: which tags online collection and <c>garbage-collect --retention</c> remove; none by
    /// default, and then no pull is recorded.
    /// </summary>
    public RetentionPolicies Retention { get; init; } = RetentionPolicies.None;
}

/// <summary><c>storage.maintenance.uploadpurging.*</c>, with registry:2's defaults.</summary>
public sealed record UploadPurgingSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>Sessions started longer ago than this are removed.</summary>
    public TimeSpan Age { get; init; } = TimeSpan.FromHours(168);

    /// <summary>Time between two purges (the first comes after a random part of it, at most an hour).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Only log what would be removed.</summary>
    public bool DryRun { get; init; }
}

/// <summary><c>http.*</c></summary>
public sealed record HttpSettings
{
    /// <summary><c>http.addr</c> as written, e.g. <c>:5000</c>, <c>127.0.0.1:5000</c>, or a socket's path with <c>net: unix</c>.</summary>
    public string Addr { get; init; } = ":5000";

    /// <summary>The address to bind, parsed from <see cref="Addr"/>; null means every interface.</summary>
    public System.Net.IPAddress? ListenAddress { get; init; }

    public int ListenPort { get; init; } = 5000;

    /// <summary>
    /// <c>http.net: unix</c>: the path of the unix socket to listen on (<see cref="Addr"/>), instead of a TCP port;
    /// null listens on TCP.
    /// </summary>
    public string? UnixSocket { get; init; }

    /// <summary><c>http.host</c>: the external base URL used in Location headers, when set.</summary>
    public Uri? Host { get; init; }

    /// <summary><c>http.relativeurls</c>: Location headers without scheme and host.</summary>
    public bool RelativeUrls { get; init; }

    /// <summary><c>http.headers</c>: added to every response.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary><c>http.tls</c>: HTTPS on the listen address; null serves plain HTTP.</summary>
    public TlsSettings? Tls { get; init; }

    /// <summary>
    /// <c>http.draintimeout</c>: on SIGTERM, how long requests in flight get to finish before they are cut. registry:2
    /// cuts them at once when the key is absent; Berth gives them 5 s, well inside <c>docker stop</c>'s 10 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>http.prefix</c> without its trailing slash (<c>/registry</c>): the API is served under <c>/registry/v2/</c>
    /// only; empty serves it at <c>/v2/</c>.
    /// </summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary><c>http.h2c.enabled</c>: HTTP/2 without TLS (prior knowledge) beside HTTP/1.1 on a plain port.</summary>
    public bool H2cEnabled { get; init; }

    /// <summary><c>http.http2.disabled</c>: serve HTTP/1.1 only, even over TLS.</summary>
    public bool Http2Disabled { get; init; }

    /// <summary><c>http.debug</c>: the debug port; null when <c>http.debug.addr</c> is not set.</summary>
    public DebugSettings? Debug { get; init; }
}
