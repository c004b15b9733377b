using System.Net;
using System.Text;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Tracing;

/// <summary>
/// A minimal OTLP/HTTP collector on 127.0.0.1: it accepts every POST to <c>/v1/traces</c> and keeps the protobuf
/// bodies. Strings in protobuf are plain UTF-8 and trace ids plain bytes, so tests search the bodies for them.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener;
    private readonly List<byte[]> _bodies = [];
    private readonly List<string> _paths = [];
    private readonly Task _loop;

    private OtlpReceiver(HttpListener listener, int port)
    {
        _listener = listener;
        Endpoint = $"http://127.0.0.1:{port}";
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>What <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set to: the exporter adds <c>/v1/traces</c>.</summary>
    public string Endpoint { get; }

    public int Posts
    {
        get
        {
            lock (_bodies)
            {
                return _bodies.Count;
            }
        }
    }

    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_bodies)
            {
                return [.. _paths];
            }
        }
    }

    public static OtlpReceiver Start()
    {
        var (listener, port) = LoopbackHttpListener.Start();
        return new OtlpReceiver(listener, port);
    }

    public bool Contains(string text) => Contains(Encoding.UTF8.GetBytes(text));

    public bool Contains(ReadOnlySpan<byte> bytes)
    {
        lock (_bodies)
        {
            foreach (var body in _bodies)
            {
                if (body.AsSpan().IndexOf(bytes) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Polls until <paramref name="received"/> holds, failing with what did arrive after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<OtlpReceiver, bool> received, string what, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!received(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the collector did not receive {what} within {timeout} ({Posts} posts to {string.Join(", ", Paths)}):\n{context()}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public void Dispose()
    {
        // Close alone: Stop and then Close would let the second removal of the prefix bind the port again, which fails
        // when another process took it meanwhile.
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener's ObjectDisposedException or HttpListenerException.
        }
    }

    private Task AcceptAsync() => LoopbackHttpListener.ServeAsync(_listener, KeepAsync);

    private async Task KeepAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        lock (_bodies)
        {
            _paths.Add(context.Request.HttpMethod + " " + context.Request.Url!.AbsolutePath);
            _bodies.Add(body.ToArray());
        }

        // An empty ExportTraceServiceResponse: everything accepted.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength64 = 0;
        context.Response.Close();
    }
}
