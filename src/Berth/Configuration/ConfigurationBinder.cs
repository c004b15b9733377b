using YamlDotNet.RepresentationModel;

namespace Berth.Configuration;

/// <summary>
/// Binds the merged configuration tree (file plus environment) to <see cref="RegistryConfiguration"/>, checking every
/// value Berth uses and warning about every key it does not.
/// </summary>
internal static class ConfigurationBinder
{
    /// <summary>The only configuration version registry:2 (and so Berth) reads.</summary>
    public const string SupportedVersion = "0.1";

    /// <summary>Checks <c>version</c>, which registry:2 reads from the file before applying the environment.</summary>
    public static void CheckVersion(YamlMappingNode root)
    {
        var section = ConfigSection.Of(root, string.Empty, []);
        var version = section.GetString("version")
            ?? throw new ConfigurationException("version", $"missing; a registry:2 configuration starts with 'version: {SupportedVersion}'");
        if (version != SupportedVersion)
        {
            throw new ConfigurationException("version", $"unsupported version '{version}'; expected {SupportedVersion}");
        }
    }

    public static RegistryConfiguration Bind(YamlMappingNode root, List<string> warnings)
    {
        var section = ConfigSection.Of(root, string.Empty, warnings);
        _ = section.Get("version");
        var configuration = new RegistryConfiguration
        {
            Log = LogSettingsBinder.Bind(section),
            Storage = StorageSettingsBinder.Bind(section.GetSection("storage")),
            Http = HttpSettingsBinder.Bind(section.GetSection("http")),
            Listings = ListingLimitsBinder.Bind(section),
            Auth = AuthSettingsBinder.Bind(section.GetSection("auth")),
            Access = AccessSettingsBinder.Bind(section.GetSection("access")),
            Validation = ValidationSettingsBinder.Bind(section.GetSection("validation")),
            Health = HealthSettingsBinder.Bind(section.GetSection("health")),
            Notifications = NotificationSettingsBinder.Bind(section.GetSection("notifications")),
            Redis = RedisSettingsBinder.Bind(section.GetSection("redis")),
            Proxy = ProxySettingsBinder.Bind(section.GetSection("proxy")),
            Ui = UiSettingsBinder.Bind(section.GetSection("ui")),
        };

        if (configuration.Access is not null && configuration.Auth is null)
        {
            section.Warn("access", "no auth method is configured (no auth section, or auth: none), so every caller is anonymous and only rules with anonymous: true grant anything");
        }

        if (configuration.Storage.BlobDescriptorCache == "redis" && configuration.Redis is null)
        {
            section.Warn("storage.cache.blobdescriptor", "'redis' needs a redis section (redis.addr or redis.addrs); blob descriptors stay in this process");
        }

        foreach (var key in (string[])["middleware", "reporting", "compatibility", "policy"])
        {
            section.Unimplemented(key);
        }

        section.WarnUnknownKeys();
        return configuration;
    }
}
