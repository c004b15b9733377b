namespace Berth.Configuration;

/// <summary>Binds <c>http.*</c>.</summary>
internal static class HttpSettingsBinder
{
    public static HttpSettings Bind(ConfigSection http)
    {
        CheckNet(http);

        // registry:2 without http.addr would listen on a random port; Berth keeps the image's :5000.
        var addr = http.GetString("addr") ?? new HttpSettings().Addr;
        var (address, port) = ListenAddressParser.Parse(addr);
        var settings = new HttpSettings
        {
            Addr = addr,
            ListenAddress = address,
            ListenPort = port,
            Host = ReadHost(http),
            RelativeUrls = http.GetBool("relativeurls", fallback: false),
            Headers = ReadHeaders(http.GetSection("headers")),
            Tls = TlsSettingsBinder.Bind(http.GetSection("tls")),
            DrainTimeout = http.GetDuration("draintimeout", positive: false) ?? new HttpSettings().DrainTimeout,
            Prefix = ReadPrefix(http),
            H2cEnabled = ReadSwitch(http.GetSection("h2c"), "enabled"),
            Http2Disabled = ReadSwitch(http.GetSection("http2"), "disabled"),
            Debug = DebugSettingsBinder.Bind(http.GetSection("debug"), port),
        };

        // registry:2 signs upload state handed to clients with http.secret, so its nodes must share it; Berth keeps
        // upload state in storage and hands out nothing to sign: the key is read and has nothing to do.
        _ = http.GetString("secret");

        http.WarnUnknownKeys();
        return settings;
    }

    private static void CheckNet(ConfigSection http)
    {
        var net = http.GetString("net");
        if (net is not null && !string.Equals(net, "tcp", StringComparison.Ordinal))
        {
            // Listening on TCP when a unix socket was asked for would put the registry somewhere nobody looks.
            throw new ConfigurationException(http.KeyPath("net"), $"'{net}' is not supported yet; Berth listens on tcp");
        }
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

    /// <summary>A map holding one boolean, as <c>http.h2c.enabled</c> and <c>http.http2.disabled</c> are written.</summary>
    private static bool ReadSwitch(ConfigSection section, string key)
    {
        var value = section.GetBool(key, fallback: false);
        section.WarnUnknownKeys();
        return value;
    }

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

    /// <summary>A map of header names to one value or a list of values (<c>http.headers</c>, <c>health.http[i].headers</c>).</summary>
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
