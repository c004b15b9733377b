using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class ConfigurationErrorTests
{
    [Fact]
    public void Load_WrongBoolean_NamesKeyAndValue()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\n  delete:\n    enabled: maybe\n");

        Assert.Equal("storage.delete.enabled", error.Key);
        Assert.Equal("storage.delete.enabled: expected true or false, got 'maybe'", error.Message);
    }

    [Fact]
    public void Load_WrongBooleanFromEnvironment_NamesKey()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_HTTP_RELATIVEURLS", "sometimes"));

        Assert.Equal("http.relativeurls", error.Key);
    }

    [Theory]
    [InlineData("level", "verbose")]
    [InlineData("formatter", "xml")]
    public void Load_BadLogChoice_NamesKeyAndChoices(string key, string value)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + $"\nlog:\n  {key}: {value}\n");

        Assert.Equal("log." + key, error.Key);
        Assert.Contains($"got '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected one of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingVersion_NamesVersion()
    {
        var error = ConfigYaml.Error("storage:\n  inmemory:\n");

        Assert.Equal("version", error.Key);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_NamesVersion()
    {
        Assert.Equal("version", ConfigYaml.Error("").Key);
    }

    [Fact]
    public void Load_OtherVersion_NamesVersion()
    {
        var error = ConfigYaml.Error("version: 0.2\nstorage: inmemory\n");

        Assert.Equal("version", error.Key);
        Assert.Contains("'0.2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoStorageDrivers_NamesStorageAndBothDrivers()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\n  inmemory:\n");

        Assert.Equal("storage", error.Key);
        Assert.Contains("filesystem, inmemory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoStorageDriver_NamesStorage()
    {
        var error = ConfigYaml.Error("version: 0.1\nstorage:\n  delete:\n    enabled: true\n");

        Assert.Equal("storage", error.Key);
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("gcs")]
    public void Load_PlannedDriver_SaysNotSupportedYet(string driver)
    {
        var error = ConfigYaml.Error($"version: 0.1\nstorage:\n  {driver}:\n    bucket: images\n");

        Assert.Equal("storage." + driver, error.Key);
        Assert.Contains("not supported yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownDriver_NamesIt()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_STORAGE", "floppy"));

        Assert.Equal("storage.floppy", error.Key);
        Assert.Contains("unknown storage driver", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyRootDirectory_NamesKey()
    {
        var error = ConfigYaml.Error("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ''\n");

        Assert.Equal("storage.filesystem.rootdirectory", error.Key);
    }

    [Fact]
    public void Load_SectionIsText_NamesSection()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nhttp: yes please\n");

        Assert.Equal("http", error.Key);
        Assert.Contains("expected a map", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TextKeyIsAMap_NamesKey()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nhttp:\n  addr:\n    port: 5000\n");

        Assert.Equal("http.addr", error.Key);
    }

    [Theory]
    [InlineData("registry.example.com")]
    [InlineData("/v2/")]
    [InlineData("ftp://registry.example.com")]
    public void Load_HostNotAnAbsoluteHttpUrl_NamesKey(string host)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_HTTP_HOST", host));

        Assert.Equal("http.host", error.Key);
    }

    [Fact]
    public void Load_HeaderValueIsAMap_NamesHeader()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nhttp:\n  headers:\n    X-Test:\n      a: b\n");

        Assert.Equal("http.headers.X-Test", error.Key);
    }

    [Fact]
    public void Load_LogFieldIsAList_NamesField()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nlog:\n  fields:\n    tags: [a, b]\n");

        Assert.Equal("log.fields.tags", error.Key);
    }
}
