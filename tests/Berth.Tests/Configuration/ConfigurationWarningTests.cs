using Xunit;

namespace Berth.Tests.Configuration;

public sealed class ConfigurationWarningTests
{
    [Fact]
    public void Load_MinimalConfiguration_HasNoWarnings()
    {
        Assert.Empty(ConfigYaml.Load(ConfigYaml.Minimal).Warnings);
    }

    [Theory]
    [InlineData("storage:\n  inmemory:\nhttp:\n  secret: asecretforlocaldevelopment\n")]
    [InlineData("storage:\n  filesystem:\n    rootdirectory: /srv/registry\n    maxthreads: 100\n  cache:\n    blobdescriptorsize: 10000\n")]
    public void Load_KeyWithNothingToSetInBerth_AcceptedWithoutWarning(string yaml)
    {
        Assert.Empty(ConfigYaml.Load("version: 0.1\n" + yaml).Warnings);
    }

    [Fact]
    public void Load_ConfigurationPathVariable_NotTakenForAKey()
    {
        Assert.Empty(ConfigYaml.Load(ConfigYaml.Minimal, ("REGISTRY_CONFIGURATION_PATH", "/etc/distribution/config.yml")).Warnings);
    }

    [Theory]
    [InlineData("reporting:\n  newrelic:\n    name: berth\n", "reporting")]
    [InlineData("log:\n  hooks: []\n", "log.hooks")]
    public void Load_UnimplementedKey_IsAcceptedWithAWarning(string yaml, string key)
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n" + yaml);

        var warning = Assert.Single(warnings);
        Assert.StartsWith(key + ": not implemented by Berth yet; ignored", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  cache:\n    blobdescriptor: redis\n", "storage.cache.blobdescriptor")]
    public void Load_UnimplementedStorageKey_IsAcceptedWithAWarning(string yaml, string key)
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n" + yaml);

        Assert.StartsWith(key + ":", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RedirectDisable_IsBoundWithoutAWarning()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n  redirect:\n    disable: true\n");

        Assert.Empty(warnings);
        Assert.True(configuration.Storage.RedirectDisabled);
    }

    [Theory]
    [InlineData("colour: blue\n", "colour")]
    [InlineData("http:\n  adr: :5000\n", "http.adr")]
    [InlineData("log:\n  accesslog:\n    enabled: true\n", "log.accesslog.enabled")]
    [InlineData("  filesystem:\n    rootdir: /srv\n", "storage.filesystem.rootdir")]
    public void Load_UnknownKey_IsAWarning(string yaml, string key)
    {
        var (_, warnings) = ConfigYaml.Load(yaml.StartsWith(' ') ? "version: 0.1\nstorage:\n" + yaml : ConfigYaml.Minimal + "\n" + yaml);

        Assert.Equal([key + ": unknown key; ignored"], warnings);
    }

    [Fact]
    public void Load_UnknownVariable_IsAWarning()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal, ("REGISTRY_SERVICE_HOST", "10.0.0.1"));

        Assert.Equal(["service: unknown key; ignored"], warnings);
    }
}
