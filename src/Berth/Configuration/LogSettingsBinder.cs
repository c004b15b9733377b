using YamlDotNet.RepresentationModel;

namespace Berth.Configuration;

/// <summary>Binds <c>log.*</c> (and the deprecated top-level <c>loglevel</c>).</summary>
internal static class LogSettingsBinder
{
    public static LogSettings Bind(ConfigSection root)
    {
        var log = root.GetSection("log");
        var level = ReadLevel(log, "level");
        var deprecated = ReadLevel(root, "loglevel");
        if (deprecated is not null)
        {
            root.Warn("loglevel", "deprecated; use log.level");
        }

        var settings = new LogSettings
        {
            // registry:2 uses loglevel only when log.level is not set.
            Level = level ?? deprecated ?? LogLevelSetting.Info,
            Formatter = ReadFormatter(log),
            AccessLogDisabled = ReadAccessLog(log.GetSection("accesslog")),
            Fields = ReadFields(log.GetSection("fields")),
        };

        log.Unimplemented("hooks");
        log.Unimplemented("reportcaller");
        log.WarnUnknownKeys();
        return settings;
    }

    private static LogLevelSetting? ReadLevel(ConfigSection section, string key) =>
        section.GetChoice(key, "error", "warn", "info", "debug") switch
        {
            0 => LogLevelSetting.Error,
            1 => LogLevelSetting.Warn,
            2 => LogLevelSetting.Info,
            3 => LogLevelSetting.Debug,
            _ => null,
        };

    private static LogFormatter ReadFormatter(ConfigSection log) =>
        log.GetChoice("formatter", "text", "json", "logfmt", "logstash") switch
        {
            1 => LogFormatter.Json,
            2 => LogFormatter.Logfmt,
            3 => LogFormatter.Logstash,
            _ => LogFormatter.Text,
        };

    private static bool ReadAccessLog(ConfigSection accessLog)
    {
        var disabled = accessLog.GetBool("disabled", fallback: false);
        accessLog.WarnUnknownKeys();
        return disabled;
    }

    private static Dictionary<string, string> ReadFields(ConfigSection fields)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in fields.Entries())
        {
            result[key] = value switch
            {
                _ when YamlValues.IsNull(value) => string.Empty,
                YamlScalarNode scalar => scalar.Value ?? string.Empty,
                _ => throw new ConfigurationException(fields.KeyPath(key), $"expected a text value, got {YamlValues.Describe(value)}"),
            };
        }

        return result;
    }
}
