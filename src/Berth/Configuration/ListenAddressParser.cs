using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Configuration;

/// <summary>
/// Reads <c>http.addr</c> the way Go's net.Listen does: <c>:5000</c> (every interface), <c>127.0.0.1:5000</c>,
/// <c>localhost:5000</c>, <c>[::1]:5000</c>. A host name is resolved once, at start.
/// </summary>
internal static class ListenAddressParser
{
    /// <param name="key">The key <paramref name="addr"/> came from, named in errors (<c>http.debug.addr</c> uses this syntax too).</param>
    public static (IPAddress? Address, int Port) Parse(string addr, string key = "http.addr")
    {
        var (host, port) = Split(addr, key);
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            throw new ConfigurationException(key, $"port must be a number from 0 to 65535, got '{port}' in '{addr}'");
        }

        return (Resolve(host, addr, key), number);
    }

    private static (string Host, string Port) Split(string addr, string key)
    {
        if (addr.StartsWith('['))
        {
            var close = addr.IndexOf("]:", StringComparison.Ordinal);
            return close > 0
                ? (addr[1..close], addr[(close + 2)..])
                : throw new ConfigurationException(key, $"expected [IPv6 address]:port, got '{addr}'");
        }

        var colon = addr.LastIndexOf(':');
        if (colon < 0)
        {
            throw new ConfigurationException(key, $"missing port; expected host:port or :port, got '{addr}'");
        }

        var host = addr[..colon];
        return host.Contains(':', StringComparison.Ordinal)
            ? throw new ConfigurationException(key, $"an IPv6 address needs brackets, as in [::1]:5000; got '{addr}'")
            : (host, addr[(colon + 1)..]);
    }

    private static IPAddress? Resolve(string host, string addr, string key)
    {
        if (host.Length == 0)
        {
            return null;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        try
        {
            // Go listens on the first address the name resolves to; prefer IPv4 as its resolver does.
            var addresses = Dns.GetHostAddresses(host);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault()
                ?? throw new ConfigurationException(key, $"host '{host}' in '{addr}' has no address");
        }
        catch (SocketException e)
        {
            throw new ConfigurationException(key, $"cannot resolve host '{host}' in '{addr}': {e.Message}");
        }
    }
}
