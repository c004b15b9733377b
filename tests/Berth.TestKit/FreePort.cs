using System.Net;
using System.Net.Sockets;

namespace Berth.TestKit;

/// <summary>Free TCP ports on 127.0.0.1, picked at run time.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago; callers retry on the rare bind race.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
