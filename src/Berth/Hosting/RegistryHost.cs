using Berth.Auth;
using Berth.Configuration;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Health;
using Berth.Http;
using Berth.Hosting.Privileges;
using Berth.Http.Handlers;
using Berth.Logging;
using Berth.Metrics;
using Berth.Storage.Drivers;
using Berth.Storage.Stores;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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
        using var store = new RegistryStore(Metered(driver, configuration.Storage.Driver, metrics), new StoreOptions
        {
            DeleteEnabled = configuration.Storage.DeleteEnabled,
            Validation = configuration.Validation,
        });
        await using var app = Build(configuration, store, driver, metering);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("berth");

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
        await store.InitializeAsync(cancellationToken);
        // Checks start before the port opens, so a check that fails at once is seen by the first request.
        var health = app.Services.GetRequiredService<HealthMonitor>();
        health.Start();

        var (transport, auth) = (configuration.Http.Tls is null ? "plain HTTP" : "TLS", AuthKind(configuration.Auth));
        var access = configuration.Access is null ? "none" : configuration.Access.Rules.Count + " rules";
        LogSecurity(logger, transport, auth, access);
        if (configuration.Storage.ReadOnly)
        {
            LogReadOnly(logger);
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
            // Kestrel names the address it failed on ("...127.0.0.1:5001: address already in use"): blame the right key.
            throw configuration.Http.Debug is { } debug && e.Message.Contains($":{debug.ListenPort}:", StringComparison.Ordinal)
                ? new ConfigurationException("http.debug.addr", $"cannot listen on {debug.Addr}: {e.Message}")
                : new ConfigurationException("http.addr", $"cannot listen on {configuration.Http.Addr}: {e.Message}");
        }

        health.MarkReady();
        LogListening(logger, configuration.Http.Addr, configuration.Storage.Driver, configuration.Storage.RootDirectory);
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
        await app.WaitForShutdownAsync(cancellationToken);
        await purging;
        return 0;
    }

    /// <summary>
    /// Whether upload purging runs: as configured, and never in read-only mode. registry:2 and :3 go on purging while
    /// read-only; Berth does not, so storage stays exactly as it is while, say, garbage-collect runs against it.
    /// </summary>
    internal static bool PurgesUploads(StorageSettings storage) => storage.UploadPurging.Enabled && !storage.ReadOnly;

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

    /// <param name="driver">The storage driver undecorated, for the health probe.</param>
    internal static WebApplication Build(RegistryConfiguration configuration, IRegistryStore store, IStorageDriver driver,
        (BerthMetrics Metrics, PrometheusCollector Collector)? metering = null)
    {
        var metrics = metering?.Metrics;
        var builder = WebApplication.CreateSlimBuilder();
        LoggingSetup.Configure(builder.Logging, configuration.Log);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = configuration.Http.DrainTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Blobs are streamed to storage; their size is bounded by storage, not by a request buffer.
            kestrel.Limits.MaxRequestBodySize = null;
            Listen(kestrel, configuration.Http);
            if (configuration.Http.Debug is { } debug)
            {
                ListenDebug(kestrel, debug);
            }
        });

        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(configuration.Http);
        builder.Services.AddSingleton(configuration.Listings);
        builder.Services.AddSingleton<Locations>();
        builder.Services.AddSingleton(services =>
            new RequestAuthorization(Metered(CreateAuthorizer(configuration, services.GetRequiredService<ILoggerFactory>()), metrics)));
        builder.Services.AddSingleton<ManifestHandler>();
        builder.Services.AddSingleton<BlobHandler>();
        builder.Services.AddSingleton<UploadHandler>();
        builder.Services.AddSingleton<ListingHandler>();
        builder.Services.AddSingleton(new ReadOnlyMode(configuration.Storage.ReadOnly));
        builder.Services.AddSingleton<RegistryDispatcher>();
        builder.Services.AddSingleton(services => new HealthMonitor(
            HealthProbes.Create(configuration.Health, configuration.Storage, driver), TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("berth.health")));

        var app = builder.Build();
        var health = app.Services.GetRequiredService<HealthMonitor>();
        if (configuration.Http.Debug is { } debugSettings)
        {
            // The debug port is a branch chosen by the port a request arrived on: it sees neither the access log nor
            // the registry's headers, prefix and 503, as registry:2's separate debug server does not.
            var debugPort = debugSettings.ListenPort;
            app.MapWhen(context => context.Connection.LocalPort == debugPort, branch => DebugEndpoints.Map(branch, health, debugSettings, metering?.Collector));
        }

        var requestLogger = app.Services.GetRequiredService<ILogger<RequestLogMiddleware>>();
        var authorization = app.Services.GetRequiredService<RequestAuthorization>();
        // First on the registry's port, so that every response (a 404 under the wrong prefix, an error envelope, a 503
        // while a health check fails) carries X-Request-Id.
        app.Use(next => new RequestLogMiddleware(next, requestLogger, authorization, accessLog: !configuration.Log.AccessLogDisabled).InvokeAsync);

        app.UseMiddleware<RegistryErrorMiddleware>();
        if (health.Count > 0)
        {
            // registry:2 answers every request, / included, with 503 UNAVAILABLE while a check fails. One volatile read.
            app.Use((context, next) => health.IsHealthy ? next(context) : Unavailable(context));
        }

        app.UseMiddleware<DotSegmentGuard>();
        // registry:2 and registry:3 answer 200 on / whatever the prefix, for load balancers that probe the root.
        app.Use((context, next) => context.Request.Path.Value == "/" ? Alive(context) : next(context));
        if (configuration.Http.Prefix.Length > 0)
        {
            app.UsePathBase(configuration.Http.Prefix);
            app.Use((context, next) => context.Request.PathBase.HasValue ? next(context) : NotUnderPrefix(context));
        }

        // Routing runs after the prefix is taken off the path, so the routes below match /v2 under any prefix.
        app.UseRouting();
        var dispatcher = app.Services.GetRequiredService<RegistryDispatcher>();
        // A decorator rather than a branch inside the dispatcher: with metrics off the route is served as before.
        RequestDelegate v2 = metrics is null ? dispatcher.HandleAsync : new MeteredDispatch(dispatcher, metrics).HandleAsync;
        app.Map("/v2", v2);
        app.Map("/v2/{**rest}", v2);
        return app;
    }

    private static Task Alive(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static Task Unavailable(HttpContext context) =>
        ErrorWriter.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, RegistryErrorCode.Unavailable,
            "service unavailable", "health check failed: please see /debug/health");

    /// <summary>With <c>http.prefix</c> the API lives under it alone, as in registry:3: <c>/v2/</c> itself is not found.</summary>
    private static Task NotUnderPrefix(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static void Listen(KestrelServerOptions kestrel, HttpSettings http)
    {
        // Built once for the listener: the certificate files are read (and checked) here, at start.
        var tls = http.Tls is null
            ? null
            : new TlsSetup(http.Tls, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>(), TimeProvider.System);
        Action<ListenOptions> configure = listen =>
        {
            if (tls is not null)
            {
                // HTTP/2 is offered by ALPN unless http.http2.disabled.
                listen.Protocols = http.Http2Disabled ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                tls.Apply(listen);
            }
            else if (http.H2cEnabled)
            {
                CleartextHttp2Detection.Apply(listen, kestrel);
            }
            else
            {
                listen.Protocols = HttpProtocols.Http1;
            }
        };
        if (http.UnixSocket is { } socket)
        {
            // The socket gets the mode the umask leaves, as registry's does: who may connect is decided by the file's
            // owner and mode, and by the folder it is in.
            kestrel.ListenUnixSocket(socket, configure);
        }
        else if (http.ListenAddress is { } address)
        {
            kestrel.Listen(address, http.ListenPort, configure);
        }
        else
        {
            kestrel.ListenAnyIP(http.ListenPort, configure);
        }
    }

    /// <summary>The debug port: plain HTTP/1.1 always, as registry:2's debug server is.</summary>
    private static void ListenDebug(KestrelServerOptions kestrel, DebugSettings debug)
    {
        Action<ListenOptions> configure = listen => listen.Protocols = HttpProtocols.Http1;
        if (debug.ListenAddress is { } address)
        {
            kestrel.Listen(address, debug.ListenPort, configure);
        }
        else
        {
            kestrel.ListenAnyIP(debug.ListenPort, configure);
        }
    }

    /// <summary>
    /// The authorizer for the configured auth and access policy; none when neither is set, so an open registry
    /// pays nothing per request. Its settings errors are configuration errors, named by key.
    /// </summary>
    private static IRegistryAuthorizer? CreateAuthorizer(RegistryConfiguration configuration, ILoggerFactory loggers)
    {
        if (configuration.Auth is null && configuration.Access is null)
        {
            return null;
        }

        try
        {
            return RegistryAuthorizerFactory.Create(configuration.Auth, configuration.Access, loggers, TimeProvider.System);
        }
        catch (AuthConfigurationException e)
        {
            throw new ConfigurationException(e.Key, e.Message);
        }
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "read-only mode (storage.maintenance.readonly): pushes, uploads and deletes answer 405, and upload purging is off")]
    private static partial void LogReadOnly(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "debug server listening on {Addr}: /debug/health, /livez, /readyz ({Checks} health checks)")]
    private static partial void LogDebugListening(ILogger logger, string addr, int checks);

    [LoggerMessage(Level = LogLevel.Information, Message = "berth listening on {Addr}, storage {Driver} at {Root}")]
    private static partial void LogListening(ILogger logger, string addr, StorageDriverKind driver, string root);
}
