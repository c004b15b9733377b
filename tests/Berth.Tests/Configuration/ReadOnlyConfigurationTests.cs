using Berth.Configuration;
using Berth.Hosting;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>storage.maintenance.readonly.enabled</c>: off by default, set by the file or its REGISTRY_* variable.</summary>
public sealed class ReadOnlyConfigurationTests
{
    private const string ReadOnlyYaml = ConfigYaml.Minimal + "\n  maintenance:\n    readonly:\n      enabled: true\n";

    [Fact]
    public void Load_Absent_Writable()
    {
        Assert.False(ConfigYaml.Bind(ConfigYaml.Minimal).Storage.ReadOnly);
    }

    [Fact]
    public void Load_EnabledInFile_ReadOnlyWithoutWarning()
    {
        var (configuration, warnings) = ConfigYaml.Load(ReadOnlyYaml);

        Assert.True(configuration.Storage.ReadOnly);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_EnabledByVariable_ReadOnly()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"));

        Assert.True(configuration.Storage.ReadOnly);
    }

    [Fact]
    public void Load_DisabledByVariable_OverridesFile()
    {
        var configuration = ConfigYaml.Bind(ReadOnlyYaml, ("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "false"));

        Assert.False(configuration.Storage.ReadOnly);
    }

    [Fact]
    public void Load_NotABoolean_NamesKey()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "maybe"));

        Assert.Equal("storage.maintenance.readonly.enabled", error.Key);
    }

    [Fact]
    public void Load_NotAMap_NamesKey()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\n  maintenance:\n    readonly: true\n");

        Assert.Equal("storage.maintenance.readonly", error.Key);
    }

    [Fact]
    public void Load_UnknownKeyInReadOnly_IsAWarning()
    {
        var (_, warnings) = ConfigYaml.Load(ReadOnlyYaml + "      enable: true\n");

        Assert.Equal(["storage.maintenance.readonly.enable: unknown key; ignored"], warnings);
    }

    [Theory]
    [InlineData(false, true, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    public void PurgesUploads_ReadOnlyOrDisabled_OnlyWhenWritableAndEnabled(bool readOnly, bool purgingEnabled, bool expected)
    {
        var storage = new StorageSettings { ReadOnly = readOnly, UploadPurging = new UploadPurgingSettings { Enabled = purgingEnabled } };

        Assert.Equal(expected, RegistryHost.PurgesUploads(storage));
    }
}
