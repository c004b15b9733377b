using System.Diagnostics;
using System.Net;
using Berth.TestKit;
using Berth.Tests.Http;
using Xunit;

namespace Berth.Tests.Tracing;

/// <summary>A real berth exporting spans over OTLP/HTTP to a collector the test runs, configured by OTEL_* variables only.</summary>
public sealed class TracingProcessTests : IDisposable
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _work = new("berth-tracing");
    private readonly OtlpReceiver _collector = OtlpReceiver.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _collector.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Serve_OtlpEndpoint_ExportsRequestAndStorageSpans()
    {
        await using var berth = await StartAsync(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        var blob = await new RegistryClient(http).PushBlobAsync("traced/app", [1, 2, 3, 4]);
        using (var pull = await http.GetAsync($"v2/traced/app/blobs/{blob.Digest}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }

        await _collector.WaitUntilAsync(c => c.Contains("POST /v2/{name}/blobs/uploads/") && c.Contains("GET /v2/{name}/blobs/{digest}")
            && c.Contains("storage.commit") && c.Contains("storage.stat"), "the request and storage spans", ExportTimeout, () => berth.Output);
        Assert.True(_collector.Contains("traced/app"), "the repository attribute is exported");
        Assert.True(_collector.Contains("berth"), "the default service name is exported");
        Assert.All(_collector.Paths, path => Assert.Equal("POST /v1/traces", path));
    }

    [Fact]
    public async Task Serve_TraceparentHeader_ExportedUnderTheCallersTraceId()
    {
        // No OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf is Berth's default, as registry:3's (the .NET SDK's is grpc).
        await using var berth = await StartAsync(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Endpoint });
        var traceId = ActivityTraceId.CreateRandom();
        using var http = new HttpClient { BaseAddress = berth.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/traced/app/manifests/latest");
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // OTLP carries the trace id as its 16 raw bytes.
        var raw = Convert.FromHexString(traceId.ToHexString());
        await _collector.WaitUntilAsync(c => c.Contains(raw) && c.Contains("GET /v2/{name}/manifests/{reference}"),
            "a span under the caller's trace id", ExportTimeout, () => berth.Output);
    }

    [Fact]
    public async Task Serve_ExporterNone_ExportsNothingEvenOnShutdown()
    {
        var berth = await StartAsync(new()
        {
            ["OTEL_TRACES_EXPORTER"] = "none",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        await using (berth)
        {
            using var http = new HttpClient { BaseAddress = berth.BaseUri };
            await new RegistryClient(http).PushBlobAsync("traced/app", [5, 6, 7]);
            using var tags = await http.GetAsync("v2/traced/app/tags/list", Ct);

            // A graceful stop disposes the tracer provider, which flushes every pending span: had any been made, they
            // would be at the collector once the process has exited.
            await berth.StopAsync();
            Assert.True(berth.HasExited);
        }

        Assert.Equal(0, _collector.Posts);
    }

    /// <summary>The premise of the test above: a graceful stop does flush what the batch still holds.</summary>
    [Fact]
    public async Task Serve_StoppedBeforeTheBatchIsDue_FlushesOnShutdown()
    {
        var berth = await StartAsync(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "600000",
        });
        await using (berth)
        {
            using var http = new HttpClient { BaseAddress = berth.BaseUri };
            using var tags = await http.GetAsync("v2/traced/app/tags/list", Ct);
            await berth.StopAsync();
        }

        Assert.True(_collector.Contains("GET /v2/{name}/tags/list"), berth.Output);
    }

    private Task<BerthProcess> StartAsync(Dictionary<string, string> environment)
    {
        // A short batch delay, so spans leave within a poll or two rather than the SDK's 5 s.
        environment.TryAdd("OTEL_BSP_SCHEDULE_DELAY", "100");
        return BerthProcess.StartAsync(_work.Combine("registry"), environment, cancellationToken: Ct);
    }
}
