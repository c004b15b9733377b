using System.Net.Security;
using System.Net.Sockets;

namespace Berth.TestKit;

/// <summary>HTTP over a unix socket: whatever host a request names, its connection goes to the socket.</summary>
public static class UnixSocketHttp
{
    /// <param name="tls">For https over the socket: the client's TLS options (trust, protocols).</param>
    public static SocketsHttpHandler Handler(string socketPath, SslClientAuthenticationOptions? tls = null) => new()
    {
        SslOptions = tls ?? new SslClientAuthenticationOptions(),
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
