namespace Berth.Configuration;

/// <summary>Binds <c>http.*</c>.</summary>
internal static class HttpSettingsBinder
{
    public static HttpSettings Bind(ConfigSection http)
    {
        var unix = http.GetChoice("net", "tcp", "unix") == 1;
        // registry:2 without http.addr would listen on a random port; Berth keeps the image's :5000.
        var addr = http.GetString("addr") ?? (unix ? null : new HttpSettings().Addr)
            ?? throw new ConfigurationException(http.KeyPath("addr"), "missing; with net: unix it is the path of the socket, such as /run/berth/registry.sock");
        var (address, port) = unix ? (null, 0) : ListenAddressParser.Parse(addr);
        var settings = new HttpSettings
        {
            Addr = addr,
            ListenAddress = address,
            ListenPort = port,
            UnixSocket = unix ? UnixSocketPath.Check(http.KeyPath("addr"), addr) : null,
            Host = ReadHost(http),
            RelativeUrls = http.GetBool("relativeurls", fallback: false),
            Headers = ReadHeaders(http.GetSection("headers")),
            Tls = TlsSettingsBinder.Bind(http.GetSection("tls")),
            DrainTimeout = http.GetDuration("draintimeout", positive: false) ?? new HttpSettings().DrainTimeout,
            Prefix = ReadPrefix(http),
            H2cEnabled = http.GetSwitch("h2c", "enabled"),
            Http2Disabled = http.GetSwitch("http2", "disabled"),
        };

        // registry:2 signs upload state handed to clients with http.secret, so its nodes must share it; Berth keeps
        // upload state in storage and hands out nothing to sign: the key is read and has nothing to do.
        _ = http.GetString("secret");
        http.Unimplemented("debug");

        http.WarnUnknownKeys();
        return settings;
    }

    /// <summary>
    /// <c>http.prefix</c>, written <c>/registry/</c> in registry:3's reference (leading and trailing slash). Berth takes
    /// it with or without the trailing slash and keeps it without, so paths are built as prefix + <c>/v2/...</c>.
    /// </summary>
    private static string ReadPrefix(ConfigSection http)
    {
        var prefix = http.GetString("prefix");
        if (string.IsNullOrEmpty(prefix) || prefix == "/")
        {
            return string.Empty;
        }

        var trimmed = prefix.TrimEnd('/');
        var segments = trimmed.Split('/');
        if (!prefix.StartsWith('/') || segments.Skip(1).Any(segment => !IsPlainSegment(segment)))
        {
            throw new ConfigurationException(http.KeyPath("prefix"),
                $"expected a path such as /registry/ (segments of letters, digits, '-', '_', '.', '~'; no '.' or '..'), got '{prefix}'");
        }

        return trimmed;
    }

    private static bool IsPlainSegment(string segment) =>
        segment.Length > 0 && segment is not ("." or "..") && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');

    private static Uri? ReadHost(ConfigSection http)
    {
        var host = http.GetString("host");
        if (host is null)
        {
            return null;
        }

        return Uri.TryCreate(host, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ConfigurationException(http.KeyPath("host"), $"expected an absolute URL such as https://registry.example.com, got '{host}'");
    }

    internal static Dictionary<string, IReadOnlyList<string>> ReadHeaders(ConfigSection headers)
    {
        // Header names compare without case, but keep the spelling the user wrote.
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, node) in headers.Entries())
        {
            var values = YamlValues.StringList(headers.KeyPath(name), node);
            if (values.Count > 0)
            {
                result[name] = result.TryGetValue(name, out var earlier) ? [.. earlier, .. values] : values;
            }
        }

        return result;
    }
}
