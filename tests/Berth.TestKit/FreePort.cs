using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.TestKit;

/// <summary>Free TCP ports on 127.0.0.1, picked at run time.</summary>
/// <remarks>
/// Ports come from below the kernel's ephemeral range when it allows. A port the kernel hands out for "any port"
/// (bind to 0) lies inside that range, where every outgoing connection of the machine also takes its local port: between
/// the pick and the server's bind, one of the suite's thousands of connections could take it, and the server then
/// fails with "address already in use" (seen once in a full run). Below the range only another listener can take it.
/// The range is also away from scripts/ceph-rgw.sh's own picks (20000-31999).
/// </remarks>
public static class FreePort
{
    private const int First = 10000;
    private const int Count = 10000;
    private static readonly HashSet<int> Given = [];

    /// <summary>A port that was free a moment ago and that this process has not handed out before.</summary>
    public static int Next()
    {
        if (EphemeralRangeStart() <= First + Count)
        {
            return AnyPort();
        }

        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = First + Random.Shared.Next(Count);
            lock (Given)
            {
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        return AnyPort();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int AnyPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first port of the kernel's ephemeral range (32768 by default on Linux).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
