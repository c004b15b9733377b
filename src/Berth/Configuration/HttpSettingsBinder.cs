using YamlDotNet.RepresentationModel;

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
        };

        http.Refuse("tls", "the registry would serve plain HTTP");
        foreach (var key in (string[])["prefix", "secret", "debug", "http2", "draintimeout"])
        {
            http.Unimplemented(key);
        }

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

    private static Dictionary<string, IReadOnlyList<string>> ReadHeaders(ConfigSection headers)
    {
        // Header names compare without case, but keep the spelling the user wrote.
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, node) in headers.Entries())
        {
            var values = ReadValues(headers.KeyPath(name), node);
            if (values.Count > 0)
            {
                result[name] = result.TryGetValue(name, out var earlier) ? [.. earlier, .. values] : values;
            }
        }

        return result;
    }

    private static List<string> ReadValues(string key, YamlNode node) => node switch
    {
        _ when YamlValues.IsNull(node) => [],
        // registry:2 wants a list; one value written without brackets means the same thing.
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode list => list.Children.Select(item => item is YamlScalarNode { Value: { } value }
            ? value
            : throw new ConfigurationException(key, $"expected a list of text values, got {YamlValues.Describe(item)} in it")).ToList(),
        _ => throw new ConfigurationException(key, $"expected a list of text values, got {YamlValues.Describe(node)}"),
    };
}
