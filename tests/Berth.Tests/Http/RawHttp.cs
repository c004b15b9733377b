using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Berth.Tests.Http;

internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// HTTP/1.1 over a bare socket, for requests HttpClient will not send: paths with unnormalized dot segments or
/// raw escapes, bodies shorter than their Content-Length, and absurd header sizes.
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <param name="target">The request target exactly as sent, e.g. <c>/v2/../x/manifests/y</c>.</param>
    /// <param name="declaredLength">A Content-Length larger than <paramref name="body"/> cuts the body short: the
    /// client then stops sending (half-close) and waits for the answer.</param>
    /// <returns>The answer, or null when the server closed the connection without one (as it may for a cut body).</returns>
    public static async Task<RawResponse?> TrySendAsync(int port, string method, string target, byte[]? body = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null, long? declaredLength = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();

        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: 127.0.0.1:{port}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (body is not null || declaredLength is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {declaredLength ?? body!.Length}\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, timeout.Token);
        }

        await stream.FlushAsync(timeout.Token);
        if (declaredLength > (body?.Length ?? 0))
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var received = new MemoryStream();
        var reset = false;
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException)
        {
            // A reset: after an answer when the server left request bytes unread, or instead of one when it gave
            // up on a cut request. A reset can also discard answer bytes not yet read, so what arrived may be partial.
            reset = true;
        }

        var bytes = received.ToArray();
        return bytes.Length == 0 || (reset && !HasCompleteHead(bytes)) ? null : Parse(bytes);
    }

    /// <summary>As <see cref="TrySendAsync"/>, for requests that must be answered.</summary>
    public static async Task<RawResponse> SendAsync(int port, string method, string target, byte[]? body = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        await TrySendAsync(port, method, target, body, headers) ?? throw new IOException($"no answer to {method} {target}");

    private static bool HasCompleteHead(byte[] bytes) => bytes.AsSpan().IndexOf("\r\n\r\n"u8) > 0;

    private static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no complete HTTP response head received: " + text);
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        var body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = position < chunked.Length ? chunked.IndexOf("\r\n", position, StringComparison.Ordinal) : -1;
            if (lineEnd < 0)
            {
                // Cut off mid-body by a reset: what arrived is all there is.
                return result.ToString();
            }

            var size = int.Parse(chunked[position..lineEnd].Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(chunked, lineEnd + 2, Math.Min(size, chunked.Length - lineEnd - 2));
            position = lineEnd + 2 + size + 2;
        }
    }
}
