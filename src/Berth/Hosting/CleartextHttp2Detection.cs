using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Hosting;

/// <summary>
/// <c>http.h2c.enabled</c>: HTTP/2 with prior knowledge and HTTP/1.1 on the same plain port, as registry:3 serves them.
/// Kestrel on .NET 10 picks the protocol of a plain connection from the endpoint alone (HTTP/1.1 when both are
/// enabled, because there is no ALPN to choose by), so this connection middleware reads the first bytes: a client
/// that opens with the HTTP/2 connection preface (RFC 9113, section 3.4) is marked as having negotiated "h2", the one
/// signal Kestrel's protocol choice reads; anything else goes on as HTTP/1.1. Nothing is consumed: Kestrel reads the
/// same bytes again.
/// </summary>
internal static class CleartextHttp2Detection
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>As long as Kestrel gives a client to send its request headers: a silent connection is closed after it.</summary>
    private static readonly TimeSpan FirstBytesTimeout = TimeSpan.FromSeconds(30);

    public static void Apply(ListenOptions listen, KestrelServerOptions kestrel)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        // The "negotiated" connection would otherwise count as https and refuse the client's :scheme http.
        kestrel.AllowAlternateSchemes = true;
        listen.Use(next => connection => DetectAsync(connection, next));
    }

    private static async Task DetectAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        bool isHttp2;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(FirstBytesTimeout);
            try
            {
                isHttp2 = await StartsWithPrefaceAsync(connection, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort();
                return;
            }
        }

        if (isHttp2)
        {
            connection.Features.Set<ITlsConnectionFeature>(new PriorKnowledge());
            connection.Features.Set<ITlsApplicationProtocolFeature>(new PriorKnowledge());
        }

        await next(connection);
    }

    private static async Task<bool> StartsWithPrefaceAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            var matches = IsPrefacePrefix(buffer.Slice(0, length));
            var decided = !matches || length == Preface.Length || result.IsCompleted;
            // Examined up to the end while undecided, so the next read waits for more bytes; consumed nothing.
            input.AdvanceTo(buffer.Start, decided ? buffer.Start : buffer.End);
            if (decided)
            {
                return matches && length == Preface.Length;
            }
        }
    }

    private static bool IsPrefacePrefix(ReadOnlySequence<byte> start)
    {
        Span<byte> bytes = stackalloc byte[Preface.Length];
        start.CopyTo(bytes);
        return bytes[..(int)start.Length].SequenceEqual(Preface.AsSpan(0, (int)start.Length));
    }

    /// <summary>What Kestrel's protocol choice reads for "the client asked for h2"; there is no certificate and no TLS.</summary>
    private sealed class PriorKnowledge : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public X509Certificate2? ClientCertificate { get; set; }

        public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
