namespace Berth.Configuration;

/// <summary>Binds <c>storage.s3</c>.</summary>
internal static class S3SettingsBinder
{
    public static StorageSettings Bind(ConfigSection section) =>
        throw new ConfigurationException(section.Path, "the s3 storage driver is not supported yet");
}
