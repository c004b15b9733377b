using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>storage.maintenance.uploadpurging</c>: registry:2's defaults, its keys and its variables.</summary>
public sealed class UploadPurgingConfigurationTests
{
    [Fact]
    public void Load_Absent_OnWithRegistry2Defaults()
    {
        var purging = ConfigYaml.Bind(ConfigYaml.Minimal).Storage.UploadPurging;

        Assert.Equal(new UploadPurgingSettings { Enabled = true, Age = TimeSpan.FromHours(168), Interval = TimeSpan.FromHours(24), DryRun = false },
            purging);
    }

    [Fact]
    public void Load_AllKeys_Bound()
    {
        var yaml = ConfigYaml.Minimal + "\n  maintenance:\n    uploadpurging:\n      enabled: true\n      age: 72h\n      interval: 30m\n      dryrun: true\n";

        var purging = ConfigYaml.Bind(yaml).Storage.UploadPurging;

        Assert.Equal(new UploadPurgingSettings { Enabled = true, Age = TimeSpan.FromHours(72), Interval = TimeSpan.FromMinutes(30), DryRun = true },
            purging);
    }

    [Fact]
    public void Load_DisabledByVariable_Off()
    {
        var purging = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_ENABLED", "false")).Storage.UploadPurging;

        Assert.False(purging.Enabled);
        Assert.Equal(TimeSpan.FromHours(168), purging.Age);
    }

    [Theory]
    [InlineData("age", "0")]
    [InlineData("age", "a week")]
    [InlineData("interval", "-1h")]
    public void Load_BadDuration_NamesKey(string key, string value)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + $"\n  maintenance:\n    uploadpurging:\n      {key}: \"{value}\"\n");

        Assert.Equal($"storage.maintenance.uploadpurging.{key}", error.Key);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }
}
