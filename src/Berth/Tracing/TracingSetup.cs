using System.Reflection;
using Berth.Storage.Drivers;
using Berth.Storage.Tracing;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Berth.Tracing;

/// <summary>
/// Wires OpenTelemetry into the host when tracing is on: the server span of ASP.NET Core's hosting, the storage spans,
/// and the exporters. When it is off none of this is registered, so no listener makes the runtime create activities.
/// </summary>
internal static class TracingSetup
{
    /// <summary>registry:3 calls itself <c>distribution</c>; Berth names itself. <c>OTEL_SERVICE_NAME</c> overrides it.</summary>
    public const string DefaultServiceName = "berth";

    /// <summary>The activity source ASP.NET Core's hosting starts the server span of each request from.</summary>
    public const string HostingSourceName = "Microsoft.AspNetCore";

    public static void AddTracing(IServiceCollection services, TracingSettings settings)
    {
        var version = typeof(TracingSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        services.AddOpenTelemetry()
            // The environment detector comes last so that OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default.
            .ConfigureResource(resource => resource.AddService(DefaultServiceName, serviceVersion: version).AddEnvironmentVariableDetector())
            .WithTracing(tracing =>
            {
                tracing.AddSource(HostingSourceName, StorageTracing.SourceName);
                if (settings.Otlp)
                {
                    tracing.AddOtlpExporter(options => ApplyTo(settings, options));
                }

                if (settings.Console)
                {
                    tracing.AddConsoleExporter();
                }
            });
    }

    /// <summary>The storage driver, with a span per operation when tracing is on.</summary>
    public static IStorageDriver Decorate(IStorageDriver driver, TracingSettings settings) =>
        settings.Enabled ? new TracingStorageDriver(driver, DriverName(driver)) : driver;

    /// <summary>
    /// What the SDK's traces-only exporter does not read itself (it reads <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>_HEADERS</c>
    /// and <c>_TIMEOUT</c> before this runs): the protocol with registry:3's default, and the traces-specific variables.
    /// </summary>
    internal static void ApplyTo(TracingSettings settings, OtlpExporterOptions options)
    {
        options.Protocol = settings.Protocol;
        if (settings.TracesEndpoint is { } endpoint)
        {
            options.Endpoint = endpoint;
        }

        if (settings.TracesHeaders is { } headers)
        {
            options.Headers = headers;
        }

        if (settings.TracesTimeoutMilliseconds is { } timeout)
        {
            options.TimeoutMilliseconds = timeout;
        }
    }

    private static string DriverName(IStorageDriver driver) => driver switch
    {
        FilesystemDriver => "filesystem",
        InMemoryDriver => "inmemory",
        _ => driver.GetType().Name,
    };
}
