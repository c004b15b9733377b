using Berth.Configuration;
using Berth.Tracing;
using OpenTelemetry.Exporter;
using Xunit;

namespace Berth.Tests.Tracing;

public sealed class TracingSettingsTests
{
    private static TracingSettings From(params (string Key, string Value)[] variables) =>
        TracingSettings.FromEnvironment(variables.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void FromEnvironment_NoOtelVariable_Off()
    {
        var settings = From(("REGISTRY_HTTP_ADDR", ":5000"));

        Assert.False(settings.Enabled);
    }

    [Fact]
    public void FromEnvironment_EndpointOnly_OtlpOverHttpProtobuf()
    {
        var settings = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));

        Assert.True(settings.Otlp);
        Assert.False(settings.Console);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, settings.Protocol);
    }

    [Fact]
    public void FromEnvironment_ExporterOtlpWithoutEndpoint_OnForTheDefaultEndpoint()
    {
        Assert.True(From(("OTEL_TRACES_EXPORTER", "otlp")).Otlp);
    }

    [Theory]
    [InlineData("none")]
    [InlineData(" none ")]
    public void FromEnvironment_ExporterNone_OffEvenWithEndpoint(string value)
    {
        var settings = From(("OTEL_TRACES_EXPORTER", value), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));

        Assert.False(settings.Enabled);
    }

    [Fact]
    public void FromEnvironment_SdkDisabled_Off()
    {
        Assert.False(From(("OTEL_TRACES_EXPORTER", "otlp"), ("OTEL_SDK_DISABLED", "TRUE")).Enabled);
    }

    [Fact]
    public void FromEnvironment_ConsoleAndOtlpList_Both()
    {
        var settings = From(("OTEL_TRACES_EXPORTER", "console, otlp"));

        Assert.True(settings.Otlp);
        Assert.True(settings.Console);
    }

    [Fact]
    public void FromEnvironment_UnknownExporter_ConfigurationErrorNamingTheVariable()
    {
        var error = Assert.Throws<ConfigurationException>(() => From(("OTEL_TRACES_EXPORTER", "jaeger")));

        Assert.Equal("OTEL_TRACES_EXPORTER", error.Key);
        Assert.Contains("jaeger", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_TracesProtocolOverGeneral_TracesWins()
    {
        var settings = From(("OTEL_TRACES_EXPORTER", "otlp"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"));

        Assert.Equal(OtlpExportProtocol.Grpc, settings.Protocol);
    }

    [Fact]
    public void FromEnvironment_HttpJson_ConfigurationError()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            From(("OTEL_TRACES_EXPORTER", "otlp"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")));

        Assert.Equal("OTEL_EXPORTER_OTLP_PROTOCOL", error.Key);
    }

    [Fact]
    public void FromEnvironment_TracesVariables_AppliedToExporterAsGiven()
    {
        var settings = From(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom/traces"),
            ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-token=abc"), ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2500"));
        var options = new OtlpExporterOptions();

        TracingSetup.ApplyTo(settings, options);

        Assert.True(settings.Otlp);
        Assert.Equal(new Uri("http://collector:4318/custom/traces"), options.Endpoint);
        Assert.Equal("x-token=abc", options.Headers);
        Assert.Equal(2500, options.TimeoutMilliseconds);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
    }

    [Fact]
    public void ApplyTo_NothingSet_RegistryThreeDefaultEndpoint()
    {
        var options = new OtlpExporterOptions();

        TracingSetup.ApplyTo(From(("OTEL_TRACES_EXPORTER", "otlp")), options);

        Assert.Equal(new Uri("http://localhost:4318"), options.Endpoint);
    }
}
