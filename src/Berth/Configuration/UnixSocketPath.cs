using System.Text;

namespace Berth.Configuration;

/// <summary>Checks <c>http.addr</c> as the path of a unix socket (<c>http.net: unix</c>).</summary>
internal static class UnixSocketPath
{
    /// <summary>What fits in <c>sockaddr_un.sun_path</c> on Linux: 108 bytes with the terminating NUL.</summary>
    private const int MaxBytes = 107;

    public static string Check(string key, string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ConfigurationException(key, $"expected the path of a unix socket, such as /run/berth/registry.sock, got '{path}'");
        }

        if (path.StartsWith('@'))
        {
            // Go would take this for a Linux abstract socket; Berth listens on files only, and a file named "@..." is
            // unlikely to be what was meant.
            throw new ConfigurationException(key, $"abstract unix sockets ('{path}') are not supported; give a file path");
        }

        return Encoding.UTF8.GetByteCount(path) <= MaxBytes
            ? path
            : throw new ConfigurationException(key, $"a unix socket path may be at most {MaxBytes} bytes, '{path}' has {Encoding.UTF8.GetByteCount(path)}");
    }
}
