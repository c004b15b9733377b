using System.Net.Sockets;

namespace Berth.Cli;

/// <summary>A stream to a unix socket, for an HttpClient's <c>ConnectCallback</c> (the probe of <c>http.net: unix</c>).</summary>
internal static class UnixSocketConnection
{
    public static async ValueTask<Stream> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
