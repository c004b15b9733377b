using Berth.Configuration;
using OpenTelemetry.Exporter;

namespace Berth.Tracing;

/// <summary>
/// Tracing as the standard <c>OTEL_*</c> variables ask for it (registry:3 has no config.yml keys for it either). Only
/// what the OpenTelemetry SDK does not read for a traces-only OTLP exporter is read here: the exporter choice, the
/// protocol (whose default Berth changes to registry:3's), and the <c>OTEL_EXPORTER_OTLP_TRACES_*</c> variables.
/// Everything else (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>_HEADERS</c>, <c>OTEL_BSP_*</c>, <c>OTEL_TRACES_SAMPLER</c>,
/// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>) the SDK reads itself.
/// </summary>
public sealed record TracingSettings
{
    public const string ExporterVariable = "OTEL_TRACES_EXPORTER";
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string TracesProtocolVariable = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    public const string TracesHeadersVariable = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
    public const string TracesTimeoutVariable = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
    public const string SdkDisabledVariable = "OTEL_SDK_DISABLED";

    /// <summary>No tracing: no listener, no decorator, nothing on the request path.</summary>
    public static TracingSettings Off { get; } = new();

    /// <summary>Spans go to an OTLP collector.</summary>
    public bool Otlp { get; init; }

    /// <summary>Spans are printed on standard output (<c>OTEL_TRACES_EXPORTER=console</c>).</summary>
    public bool Console { get; init; }

    public bool Enabled => Otlp || Console;

    /// <summary>http/protobuf unless a variable says grpc: registry:3's default, where the .NET SDK's is grpc.</summary>
    public OtlpExportProtocol Protocol { get; init; } = OtlpExportProtocol.HttpProtobuf;

    /// <summary><c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>: the full URL, used as given (no <c>/v1/traces</c> added).</summary>
    public Uri? TracesEndpoint { get; init; }

    public string? TracesHeaders { get; init; }

    public int? TracesTimeoutMilliseconds { get; init; }

    /// <summary>
    /// Tracing is on when <c>OTEL_TRACES_EXPORTER</c> names an exporter, or, without it, when an OTLP endpoint is set.
    /// With no <c>OTEL_*</c> variable at all it is off: registry:3 would send to localhost:4318 and log an error per
    /// batch when nothing listens there; a plain <c>berth serve</c> stays quiet and pays nothing per request.
    /// </summary>
    /// <exception cref="ConfigurationException">An exporter or protocol Berth cannot serve, named by its variable.</exception>
    public static TracingSettings FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        string? Get(string name) => environment.TryGetValue(name, out var value) && value.Trim().Length > 0 ? value.Trim() : null;

        if (string.Equals(Get(SdkDisabledVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            return Off;
        }

        var (otlp, console) = Get(ExporterVariable) is { } names
            ? ParseExporters(names)
            : (Get(EndpointVariable) is not null || Get(TracesEndpointVariable) is not null, false);
        if (!otlp && !console)
        {
            return Off;
        }

        return new TracingSettings
        {
            Otlp = otlp,
            Console = console,
            Protocol = Get(TracesProtocolVariable) is { } traces ? ParseProtocol(TracesProtocolVariable, traces)
                : Get(ProtocolVariable) is { } general ? ParseProtocol(ProtocolVariable, general)
                : OtlpExportProtocol.HttpProtobuf,
            TracesEndpoint = Get(TracesEndpointVariable) is { } endpoint ? ParseEndpoint(endpoint) : null,
            TracesHeaders = Get(TracesHeadersVariable),
            TracesTimeoutMilliseconds = Get(TracesTimeoutVariable) is { } timeout ? ParseTimeout(timeout) : null,
        };
    }

    /// <summary>A comma-separated list, as the specification allows; <c>none</c> alone turns tracing off.</summary>
    private static (bool Otlp, bool Console) ParseExporters(string names)
    {
        var (otlp, console) = (false, false);
        foreach (var name in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (name.ToLowerInvariant())
            {
                case "otlp":
                    otlp = true;
                    break;
                case "console":
                    console = true;
                    break;
                case "none":
                    break;
                default:
                    throw new ConfigurationException(ExporterVariable, $"unknown exporter '{name}'; Berth exports traces with otlp or console, or none");
            }
        }

        return (otlp, console);
    }

    private static OtlpExportProtocol ParseProtocol(string variable, string value) => value.ToLowerInvariant() switch
    {
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        "grpc" => OtlpExportProtocol.Grpc,
        _ => throw new ConfigurationException(variable, $"unsupported protocol '{value}'; Berth speaks http/protobuf or grpc"),
    };

    private static Uri ParseEndpoint(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ConfigurationException(TracesEndpointVariable, $"'{value}' is not an http or https URL");

    private static int ParseTimeout(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0
            ? milliseconds
            : throw new ConfigurationException(TracesTimeoutVariable, $"'{value}' is not a number of milliseconds");
}
