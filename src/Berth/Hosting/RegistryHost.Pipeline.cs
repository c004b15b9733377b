using Berth.Auth;
using Berth.Configuration;
using Berth.Core.Errors;
using Berth.Core.Stores;
using Berth.Health;
using Berth.Events;
using Berth.Http;
using Berth.Http.Handlers;
using Berth.Logging;
using Berth.Metrics;
using Berth.Storage.Drivers;
using Berth.Tracing;
using Berth.Ui;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Hosting;

/// <summary>The web application of <c>berth serve</c>: its services, listeners and the middleware a request passes.</summary>
internal static partial class RegistryHost
{
    /// <param name="driver">The storage driver undecorated, for the health probe.</param>
    /// <param name="notifications">With notifications on: makes them, so that the store is served decorated.</param>
    /// <param name="metering">With metrics on: the instruments and the collector the debug port serves.</param>
    /// <param name="redis">With <c>redis</c> configured: the connection the <c>redis</c> health check pings.</param>
    /// <param name="pulls">With <c>storage.retention</c> configured: what the manifest GET records each pull in.</param>
    /// <param name="ui">With <c>ui.enabled</c>: what the web page reads; without, the page is not served.</param>
    internal static WebApplication Build(RegistryConfiguration configuration, IRegistryStore store, IStorageDriver driver,
        Func<ILoggerFactory, Notifications>? notifications = null, (BerthMetrics Metrics, PrometheusCollector Collector)? metering = null,
        Berth.Redis.RedisConnection? redis = null, Storage.Retention.PullRecorder? pulls = null, UiSources? ui = null)
    {
        var metrics = metering?.Metrics;
        var builder = WebApplication.CreateSlimBuilder();
        LoggingSetup.Configure(builder.Logging, configuration.Log);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = configuration.Http.DrainTimeout);
        if (configuration.Tracing.Enabled)
        {
            TracingSetup.AddTracing(builder.Services, configuration.Tracing);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Blobs are streamed to storage; their size is bounded by storage, not by a request buffer.
            kestrel.Limits.MaxRequestBodySize = null;
            RegistryListeners.Listen(kestrel, configuration.Http);
            if (configuration.Http.Debug is { } debug)
            {
                RegistryListeners.ListenDebug(kestrel, debug);
            }
        });

        var browser = ui is null ? null
            : new RegistryBrowser(ui.Local, new RepositorySummaries(ui.Local, ui.Driver, TimeProvider.System), new ImageSummaries(), TimeProvider.System);
        if (browser is not null)
        {
            store = new ChangeReportingStore(store, browser.Changed);
        }

        if (notifications is null)
        {
            builder.Services.AddSingleton(store);
        }
        else
        {
            builder.Services.AddSingleton(services => notifications(services.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddSingleton(services => services.GetRequiredService<Notifications>().Decorate(store));
            builder.Services.AddSingleton(services => services.GetRequiredService<Notifications>().Requests);
        }

        builder.Services.AddSingleton(configuration.Http);
        builder.Services.AddSingleton(configuration.Listings);
        builder.Services.AddSingleton<Locations>();
        builder.Services.AddSingleton(services =>
            new RequestAuthorization(Metered(CreateAuthorizer(configuration, services.GetRequiredService<ILoggerFactory>()), metrics)));
        if (ui is not null)
        {
            AddUi(builder.Services, configuration, ui, browser!);
        }

        if (pulls is not null)
        {
            builder.Services.AddSingleton(pulls);
        }

        builder.Services.AddSingleton<ManifestHandler>();
        builder.Services.AddSingleton<BlobHandler>();
        builder.Services.AddSingleton<UploadHandler>();
        builder.Services.AddSingleton<ListingHandler>();
        builder.Services.AddSingleton<RepositoryHandler>();
        builder.Services.AddSingleton(new ReadOnlyMode(configuration.Storage.ReadOnly));
        builder.Services.AddSingleton<RegistryDispatcher>();
        builder.Services.AddSingleton(services => new HealthMonitor(
            HealthProbes.Create(configuration.Health, configuration.Storage, driver, redis), TimeProvider.System,
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

        if (configuration.Tracing.Enabled)
        {
            // Outermost on the registry's port (probes of the debug port are not traced): it sees the final status of
            // every answer, and names the span before anything else runs.
            app.UseMiddleware<RequestTracingMiddleware>(configuration.Http.Prefix);
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
        if (notifications is not null)
        {
            app.UseMiddleware<EventRequestMiddleware>();
        }

        // registry:2 and registry:3 answer 200 on / whatever the prefix, for load balancers that probe the root. The page,
        // when it is there, answers 200 too.
        var pageAtRoot = ui is not null && configuration.Ui.Path == "/" && configuration.Http.Prefix.Length == 0;
        app.Use((context, next) => context.Request.Path.Value == "/" && !pageAtRoot ? Alive(context) : next(context));
        if (configuration.Http.Prefix.Length > 0)
        {
            app.UsePathBase(configuration.Http.Prefix);
            app.Use((context, next) => context.Request.PathBase.HasValue ? next(context) : NotUnderPrefix(context));
        }

        if (configuration.Proxy.IsActive)
        {
            // Before routing and authorization: containerd's ?ns= names the repository the rules and the store see.
            app.UseMiddleware<MirrorRequests>(configuration.Proxy.Router());
        }

        // Routing runs after the prefix is taken off the path, so the routes below match /v2 under any prefix.
        app.UseRouting();
        if (ui is not null)
        {
            UiEndpoints.Map(app, configuration.Ui);
        }

        var dispatcher = app.Services.GetRequiredService<RegistryDispatcher>();
        // A decorator rather than a branch inside the dispatcher: with metrics off the route is served as before.
        RequestDelegate v2 = metrics is null ? dispatcher.HandleAsync : new MeteredDispatch(dispatcher, metrics).HandleAsync;
        app.Map("/v2", v2);
        app.Map("/v2/{**rest}", v2);
        return app;
    }

    private static void AddUi(IServiceCollection services, RegistryConfiguration configuration, UiSources ui, RegistryBrowser browser)
    {
        services.AddSingleton<UiAssets>();
        services.AddSingleton(services => new UiAccess(services.GetRequiredService<RequestAuthorization>().Authorizer, configuration.Auth,
            configuration.Storage.DeleteEnabled));
        services.AddSingleton(browser);
        services.AddSingleton(services => new UiApi(services.GetRequiredService<UiAccess>(), services.GetRequiredService<RegistryBrowser>(),
            services.GetRequiredService<IRegistryStore>(), ui.Usage, ui.StartUsageScan));
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
}
