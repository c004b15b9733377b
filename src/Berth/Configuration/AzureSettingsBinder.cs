namespace Berth.Configuration;

/// <summary>Binds <c>storage.azure</c>.</summary>
internal static class AzureSettingsBinder
{
    public static StorageSettings Bind(ConfigSection section) =>
        throw new ConfigurationException(section.Path, "the azure storage driver is not supported yet");
}
