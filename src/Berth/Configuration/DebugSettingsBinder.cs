namespace Berth.Configuration;

/// <summary>Binds <c>http.debug.*</c>.</summary>
internal static class DebugSettingsBinder
{
    public static DebugSettings? Bind(ConfigSection debug, int mainPort)
    {
        var addr = debug.GetString("addr");
        var prometheus = debug.GetSection("prometheus");
        var enabled = prometheus.GetBool("enabled", fallback: false);
        var path = prometheus.GetString("path") ?? "/metrics";
        var repositories = prometheus.GetInt("repositories", minimum: 0) ?? DebugSettings.DefaultPrometheusRepositories;
        if (!path.StartsWith('/') || path.Length < 2 || path.StartsWith("/debug/", StringComparison.Ordinal) || path is "/livez" or "/readyz")
        {
            throw new ConfigurationException(prometheus.KeyPath("path"),
                $"expected a path such as /metrics that is not one of the health endpoints, got '{path}'");
        }

        prometheus.WarnUnknownKeys();
        debug.WarnUnknownKeys();
        if (string.IsNullOrEmpty(addr))
        {
            if (enabled)
            {
                debug.Warn("prometheus", "metrics are served on http.debug.addr, which is not set");
            }

            return null;
        }

        var key = debug.KeyPath("addr");
        var (address, port) = ListenAddressParser.Parse(addr, key);
        if (port == 0 || port == mainPort)
        {
            // The debug branch is chosen by the port a request arrived on, so it must be a known port of its own.
            throw new ConfigurationException(key, $"expected a port of its own, not 0 and not the registry's {mainPort}; got '{addr}'");
        }

        return new DebugSettings { Addr = addr, ListenAddress = address, ListenPort = port, PrometheusEnabled = enabled, PrometheusPath = path,
            PrometheusRepositories = repositories };
    }
}
