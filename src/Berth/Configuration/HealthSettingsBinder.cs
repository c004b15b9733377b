namespace Berth.Configuration;

/// <summary>
/// Binds <c>health.*</c> as registry:2 reads it: <c>storagedriver</c> (one map) and the lists <c>file</c>, <c>http</c>
/// and <c>tcp</c>. Item <c>i</c> of a list is named <c>health.http.i</c> in errors, as REGISTRY_* spells it.
/// </summary>
internal static class HealthSettingsBinder
{
    public static HealthSettings Bind(ConfigSection health)
    {
        var settings = new HealthSettings
        {
            StorageDriver = BindStorageDriver(health.GetSection("storagedriver")),
            Files = [.. health.GetSectionList("file").Select(BindFile)],
            Http = [.. health.GetSectionList("http").Select(BindHttp)],
            Tcp = [.. health.GetSectionList("tcp").Select(BindTcp)],
        };
        health.WarnUnknownKeys();
        return settings;
    }

    private static PeriodicCheckSettings? BindStorageDriver(ConfigSection section)
    {
        var enabled = section.GetBool("enabled", fallback: false);
        var check = Periodic(section, new PeriodicCheckSettings());
        section.WarnUnknownKeys();
        return enabled ? check : null;
    }

    private static FileCheckSettings BindFile(ConfigSection section)
    {
        var file = Required(section, "file");
        var check = new FileCheckSettings(file) { Interval = Interval(section) };
        section.WarnUnknownKeys();
        return check;
    }

    private static HttpCheckSettings BindHttp(ConfigSection section)
    {
        var text = Required(section, "uri");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ConfigurationException(section.KeyPath("uri"), $"expected an http or https URL, got '{text}'");
        }

        var status = section.GetInt("statuscode", minimum: 0) ?? 0;
        if (status is not (0 or (>= 100 and <= 599)))
        {
            throw new ConfigurationException(section.KeyPath("statuscode"), $"expected an HTTP status from 100 to 599, got {status}");
        }

        var check = Periodic(section, new HttpCheckSettings(uri)
        {
            // registry:2 takes 0 (or nothing) for 200.
            StatusCode = status == 0 ? 200 : status,
            Timeout = section.GetDuration("timeout", positive: true) ?? HealthSettings.DefaultTimeout,
            Headers = HttpSettingsBinder.ReadHeaders(section.GetSection("headers")),
        });
        section.WarnUnknownKeys();
        return check;
    }

    private static TcpCheckSettings BindTcp(ConfigSection section)
    {
        var addr = Required(section, "addr");
        var colon = addr.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(addr.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            throw new ConfigurationException(section.KeyPath("addr"), $"expected host:port such as redis:6379, got '{addr}'");
        }

        var check = Periodic(section, new TcpCheckSettings(addr)
        {
            Timeout = section.GetDuration("timeout", positive: true) ?? HealthSettings.DefaultTimeout,
        });
        section.WarnUnknownKeys();
        return check;
    }

    private static T Periodic<T>(ConfigSection section, T check) where T : PeriodicCheckSettings =>
        check with { Interval = Interval(section), Threshold = section.GetInt("threshold", minimum: 0) ?? 0 };

    private static TimeSpan Interval(ConfigSection section) =>
        section.GetDuration("interval", positive: true) ?? HealthSettings.DefaultInterval;

    private static string Required(ConfigSection section, string key)
    {
        var value = section.GetString(key);
        return string.IsNullOrWhiteSpace(value)
            ? throw new ConfigurationException(section.KeyPath(key), "missing; every check names what it checks")
            : value;
    }
}
