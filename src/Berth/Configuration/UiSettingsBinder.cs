namespace Berth.Configuration;

/// <summary>Binds <c>ui.enabled</c> and <c>ui.path</c>.</summary>
internal static class UiSettingsBinder
{
    public static UiSettings Bind(ConfigSection ui)
    {
        var settings = new UiSettings
        {
            Enabled = ui.GetBool("enabled", fallback: true),
            Path = BindPath(ui),
        };
        ui.WarnUnknownKeys();
        return settings;
    }

    private static string BindPath(ConfigSection ui)
    {
        var path = ui.GetString("path");
        if (string.IsNullOrEmpty(path))
        {
            return UiSettings.DefaultPath;
        }

        // The page's own API and assets live under /ui/, and /v2/ is the registry's: the page may be neither.
        if (!path.StartsWith('/') || path.Contains("..", StringComparison.Ordinal) || path.Contains('?') || path.Contains('#')
            || path.StartsWith("/v2", StringComparison.Ordinal) || path.StartsWith("/ui/api", StringComparison.Ordinal)
            || path.StartsWith("/ui/assets", StringComparison.Ordinal))
        {
            throw new ConfigurationException(ui.KeyPath("path"), $"'{path}' must be an absolute path such as / or /browse/, outside /v2/, /ui/api/ and /ui/assets/");
        }

        return path.EndsWith('/') ? path : path + "/";
    }
}
