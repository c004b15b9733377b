using Berth.Auth;
using Berth.Configuration;
using Berth.Core.Stores;
using Berth.Health;
using Berth.Events;
using Berth.Hosting.Privileges;
using Berth.Metrics;
using Berth.Storage.BlobCache;
using Berth.Storage.Gc.Online;
using Berth.Storage.Nodes;
using Berth.Storage.Stores;
using Berth.Storage.Usage;
using Berth.Tracing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Hosting;

/// <summary>The composition root of <c>berth serve</c>: storage, stores, Kestrel and the registry API.</summary>
internal static partial class RegistryHost
{
    /// <param name="user">Who to become after reading the configured files when started as root (<c>--user</c>).</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(RegistryConfiguration configuration, ServiceUser? user, CancellationToken cancellationToken)
    {
        var switchUser = user is not null && Posix.IsRoot;
        if (switchUser && configuration.Storage.Driver == StorageDriverKind.Filesystem)
        {
            GiveStorageTo(configuration.Storage.RootDirectory, user!.Value);
        }

        var driver = StorageFactory.CreateUnchecked(configuration.Storage);
        // Null with metrics off: then no instrument exists and nothing below is decorated.
        var metering = MetricsEndpoint.Create(configuration.Http.Debug);
        using var metrics = metering?.Metrics;
        using var collector = metering?.Collector;
        // The shared state logs from before the host exists (connecting to Redis, filling the catalog). A second console
        // logger costs a thread and its buffers for the life of the process, so one node on a filesystem, whose state
        // logs nothing, gets none.
        using var stateLoggers = SharedState.LogsAnything(configuration)
            ? LoggerFactory.Create(builder => Logging.LoggingSetup.Configure(builder, configuration.Log))
            : NullLoggerFactory.Instance;
        await using var redis = await SharedState.ConnectAsync(configuration, stateLoggers);
        var caches = metrics is null ? null : new CacheMetrics(metrics.Meter);
        // Only Redis has a link cache: a counter made without it would print a cache that does not exist, at 0.
        var decorated = TracingSetup.Decorate(Metered(driver, configuration.Storage, metrics), configuration.Tracing);
        // Made only on an object store, whose catalog re-reads storage: the state's loggers are real there (LogsAnything).
        using var blobCopies = configuration.Storage.BlobCache is { } copies ? new NodeBlobCache(copies, stateLoggers.CreateLogger("berth.blobcache")) : null;
        var served = BlobCopies.Serving(SharedState.Driver(decorated, redis, redis is null ? null : caches?.Counter(CacheNames.Links)), blobCopies);
        var state = await SharedState.StateAsync(configuration, redis, stateLoggers, cancellationToken);
        using var retention = RetentionSetup.Create(configuration, redis, served);
        using var store = new RegistryStore(served, new StoreOptions
        {
            DeleteEnabled = configuration.Storage.DeleteEnabled,
            RedirectDisabled = configuration.Storage.RedirectDisabled,
            Validation = configuration.Validation,
            ImmutableTags = configuration.Storage.ImmutableTags,
            // Retention removes a tag only if unchanged; pushes must then write tags under the lock it checks under.
            LockTagWrites = retention is not null,
        }, TimeProvider.System, state, StoreCounters(caches));
        using var stopping = new CancellationTokenSource();
        // The cache sits on the local store, below notifications: what it stores from upstreams is no push.
        using var mirror = configuration.Proxy.IsActive ? MirrorSetup.Create(configuration.Proxy, configuration.Storage, store, stopping.Token) : null;
        IRegistryStore servedStore = mirror is null ? store : mirror;
        // Notifications decorate the store only when an endpoint is on: without them nothing of theirs runs.
        Func<ILoggerFactory, Notifications>? notify = configuration.Notifications.IsActive
            ? loggers => CreateNotifications(configuration.Notifications, driver, EventSourceAddr(configuration.Http), loggers, metrics,
                SharedState.EventOutboxes(redis, loggers))
            : null;
        // The page shows storage used too: then the figures are read whether or not metrics are on.
        var usage = CreateUsage(served, configuration.Http.Debug, metrics, collector)
            ?? (configuration.Ui.Enabled ? new UsageCache(new UsageStore(served), TimeProvider.System) : null);
        var usageScan = new OnDemandTask();
        var ui = configuration.Ui.Enabled ? new Ui.UiSources(store, served, usage!, usageScan.Start) : null;
        await using var app = Build(configuration, servedStore, driver, notify, metering, redis, retention?.Recorder, ui);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("berth");
        usageScan.Prepare(usage is not null && (ScansUsage(configuration) || ScansUsageForPage(configuration))
            ? () => new UsageScanLoop(new UsageScanner(served, TimeProvider.System), usage, state.Leases,
                UsageScanLoop.IntervalFrom(Environment.GetEnvironmentVariable(UsageScanLoop.IntervalVariable)), logger, TimeProvider.System)
            {
                FirstScanAfter = ScansUsage(configuration) ? TimeSpan.Zero : PageUsageScanDelay(),
            }.RunAsync(app.Lifetime.ApplicationStopping)
            : null);
        var notifications = app.Services.GetService<Notifications>();

        // Kestrel's options are built here rather than at start so that the TLS files are read now: the
        // certificate and key may be readable by root alone (openssl writes keys 0600), and root goes next.
        _ = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        if (switchUser)
        {
            PrivilegeDrop.To(user!.Value);
            LogSwitchedUser(logger, user.Value);
        }
        else if (user is { } ignored && Posix.EffectiveUserId != ignored.Uid)
        {
            LogUserIgnored(logger, ignored, Posix.EffectiveUserId);
        }

        StorageFactory.EnsureUsable(driver);
        BlobCopies.Open(blobCopies);
        await store.InitializeAsync(cancellationToken);
        // Checks start before the port opens, so a check that fails at once is seen by the first request.
        var health = app.Services.GetRequiredService<HealthMonitor>();
        health.Start();
        if (notifications is not null)
        {
            await notifications.InitializeAsync(cancellationToken);
        }

        var (transport, auth) = (configuration.Http.Tls is null ? "plain HTTP" : "TLS", AuthKind(configuration.Auth));
        var access = configuration.Access is null ? "none" : configuration.Access.Rules.Count + " rules";
        LogSecurity(logger, transport, auth, access);
        if (configuration.Storage.ReadOnly)
        {
            LogReadOnly(logger);
        }

        if (blobCopies is not null)
        {
            LogBlobCopies(logger, blobCopies.Directory, blobCopies.Count, blobCopies.Bytes >> 20, configuration.Storage.BlobCache!.MaxBytes >> 20);
        }

        retention?.LogStart(logger);

        // Before the port opens: an offline garbage-collect started from now on sees this node and refuses.
        var presence = AnnouncesPresence(configuration.Storage) ? CreatePresence(configuration.Storage, driver, logger) : null;
        if (presence is not null)
        {
            await presence.AnnounceAsync(cancellationToken);
        }

        if (configuration.Http.UnixSocket is { } socket)
        {
            // As the user who will listen (root, if any, was given up by now): no more rights than the bind itself has.
            UnixSocketFile.RemoveStale(socket);
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            if (presence is not null)
            {
                // This node never served: its record would only stop garbage-collect until it goes stale.
                await presence.WithdrawAsync(cancellationToken);
            }

            // Kestrel names the address it failed on ("...127.0.0.1:5001: address already in use"): blame the right key.
            throw configuration.Http.Debug is { } debug && e.Message.Contains($":{debug.ListenPort}:", StringComparison.Ordinal)
                ? new ConfigurationException("http.debug.addr", $"cannot listen on {debug.Addr}: {e.Message}")
                : new ConfigurationException("http.addr", $"cannot listen on {configuration.Http.Addr}: {e.Message}");
        }

        health.MarkReady();
        LogListening(logger, configuration.Http.Addr, configuration.Storage.DriverName,
            configuration.Storage.ObjectStore?.Location ?? configuration.Storage.RootDirectory);
        if (configuration.Http.Debug is { } debugPort)
        {
            LogDebugListening(logger, debugPort.Addr, health.Count);
            if (metering is not null)
            {
                LogMetrics(logger, debugPort.Addr, debugPort.PrometheusPath);
            }
        }

        if (configuration.Http.H2cEnabled && configuration.Http.Tls is null)
        {
            LogH2c(logger, configuration.Http.Addr);
        }
        var purging = PurgesUploads(configuration.Storage)
            ? new UploadPurgeLoop(store, configuration.Storage.UploadPurging, logger, TimeProvider.System).RunAsync(app.Lifetime.ApplicationStopping)
            : Task.CompletedTask;
        var collecting = CollectsOnline(configuration.Storage)
            ? new OnlineGcLoop(new OnlineCollector(served, state.Barrier, TimeProvider.System), state.Leases, configuration.Storage.Gc, logger,
                TimeProvider.System, metrics is null ? null : new GcMetrics(metrics.Meter), retention?.Phase(store, served, decorated, logger, metrics),
                usage).RunAsync(app.Lifetime.ApplicationStopping)
            : Task.CompletedTask;
        if (ScansUsage(configuration))
        {
            // For the metrics, from the start; for the page alone, from its first visit.
            usageScan.Start();
        }

        var flushingPulls = retention?.FlushAsync(logger, app.Lifetime.ApplicationStopping) ?? Task.CompletedTask;
        var delivering = notifications?.RunAsync(app.Lifetime.ApplicationStopping) ?? Task.CompletedTask;
        var beating = presence?.RunAsync(app.Lifetime.ApplicationStopping) ?? Task.CompletedTask;
        await app.WaitForShutdownAsync(cancellationToken);
        await stopping.CancelAsync();
        await purging;
        await collecting;
        await flushingPulls;
        await usageScan.Running;
        await delivering;
        await beating;
        if (presence is not null)
        {
            // Last: no request and no collection of this node writes any more.
            using var withdrawing = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await presence.WithdrawAsync(withdrawing.Token);
        }

        return 0;
    }

    /// <summary>
    /// Whether upload purging runs: as configured, and never in read-only mode. registry:2 and :3 go on purging while
    /// read-only; Berth does not, so storage stays exactly as it is while, say, garbage-collect runs against it.
    /// </summary>
    internal static bool PurgesUploads(StorageSettings storage) => storage.UploadPurging.Enabled && !storage.ReadOnly;

    /// <summary>Whether online garbage collection runs: as configured, and never in read-only mode (it is paused there).</summary>
    internal static bool CollectsOnline(StorageSettings storage) => storage.Gc.Enabled && !storage.ReadOnly;

    /// <summary>
    /// Whether this node keeps a presence record in the store: when it changes the store (pushes; online collection,
    /// which never runs read-only either), so that garbage-collect does not run beside it.
    /// </summary>
    internal static bool AnnouncesPresence(StorageSettings storage) => !storage.ReadOnly;

    private static NodePresenceLoop CreatePresence(StorageSettings storage, Storage.Drivers.IStorageDriver driver, ILogger logger)
    {
        var now = TimeProvider.System.GetUtcNow();
        var presence = new NodePresence(Guid.NewGuid().ToString("N"), Environment.MachineName, Environment.ProcessId, now, now,
            NodePresenceLoop.BeatInterval(Environment.GetEnvironmentVariable(NodePresenceLoop.BeatIntervalVariable)),
            TakesPushes: !storage.ReadOnly, CollectsOnline: CollectsOnline(storage));
        return new NodePresenceLoop(new NodePresenceStore(driver), presence, logger, TimeProvider.System);
    }

    private static void GiveStorageTo(string root, ServiceUser user)
    {
        try
        {
            StorageOwnership.GiveTo(root, user);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("storage.filesystem.rootdirectory", e.Message);
        }
    }

    /// <summary>How events name this node, as registry does: the host name and the port berth listens on.</summary>
    private static string EventSourceAddr(HttpSettings http) =>
        http.UnixSocket is null ? $"{Environment.MachineName}:{http.ListenPort}" : Environment.MachineName;

    private static string AuthKind(AuthSettings? auth) => auth switch
    {
        HtpasswdAuthSettings => "htpasswd",
        TokenAuthSettings => "token",
        _ => "none",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "running as {User}: the storage root was given to it and root was dropped after reading the configured files")]
    private static partial void LogSwitchedUser(ILogger logger, ServiceUser user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--user {User} ignored: only root can switch users, and berth runs as uid {Uid}")]
    private static partial void LogUserIgnored(ILogger logger, ServiceUser user, uint uid);

    [LoggerMessage(Level = LogLevel.Information, Message = "security: {Transport}, auth {Auth}, access policy {Access}")]
    private static partial void LogSecurity(ILogger logger, string transport, string auth, string access);

    [LoggerMessage(Level = LogLevel.Information, Message = "h2c: HTTP/2 with prior knowledge is served on {Addr} beside HTTP/1.1; Berth "
        + "detects it itself, so Kestrel's warning that HTTP/2 is not enabled there does not apply")]
    private static partial void LogH2c(ILogger logger, string addr);

    [LoggerMessage(Level = LogLevel.Information, Message = "blob cache (storage.cache.blobs): {Directory} holds {Count} blobs, {MiB} MiB of at most {MaxMiB} MiB; "
        + "blobs this node serves are copied there and then served from it")]
    private static partial void LogBlobCopies(ILogger logger, string directory, int count, long miB, long maxMiB);

    [LoggerMessage(Level = LogLevel.Warning, Message = "read-only mode (storage.maintenance.readonly): pushes, uploads and deletes answer 405, and upload purging is off")]
    private static partial void LogReadOnly(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "debug server listening on {Addr}: /debug/health, /livez, /readyz ({Checks} health checks)")]
    private static partial void LogDebugListening(ILogger logger, string addr, int checks);

    [LoggerMessage(Level = LogLevel.Information, Message = "berth listening on {Addr}, storage {Driver} at {Root}")]
    private static partial void LogListening(ILogger logger, string addr, string driver, string root);
}
