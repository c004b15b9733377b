using System.Net;
using Berth.Configuration;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class ConfigurationLoaderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void Load_NoFile_ServesTheRegistryImageDefaults()
    {
        var (configuration, _) = ConfigurationLoader.Load(null, NoEnvironment);

        Assert.Equal(StorageDriverKind.Filesystem, configuration.Storage.Driver);
        Assert.Equal("/var/lib/registry", configuration.Storage.RootDirectory);
        Assert.False(configuration.Storage.DeleteEnabled);
        Assert.Equal(":5000", configuration.Http.Addr);
        Assert.Null(configuration.Http.ListenAddress);
        Assert.Equal(5000, configuration.Http.ListenPort);
        Assert.Equal(["nosniff"], configuration.Http.Headers["X-Content-Type-Options"]);
        Assert.Equal("registry", configuration.Log.Fields["service"]);
        Assert.Equal(LogLevelSetting.Info, configuration.Log.Level);
        Assert.Equal(LogFormatter.Text, configuration.Log.Formatter);
        Assert.False(configuration.Log.AccessLogDisabled);
    }

    [Fact]
    public void Load_NoFile_HasNoWarnings()
    {
        var (_, warnings) = ConfigurationLoader.Load(null, NoEnvironment);

        // storage.cache.blobdescriptor: inmemory is what Berth does anyway, so the image default is not a warning;
        // health.storagedriver is served.
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_File_ReadsEveryImplementedKey()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("config.yml");
        File.WriteAllText(path, """
            version: 0.1
            log:
              level: debug
              formatter: logfmt
              accesslog:
                disabled: true
              fields:
                service: registry
                environment: staging
            storage:
              filesystem:
                rootdirectory: /srv/registry
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:5001
              host: https://registry.example.com:8443
              relativeurls: true
              headers:
                X-Content-Type-Options: [nosniff]
                Strict-Transport-Security: [max-age=31536000, includeSubDomains]
            """);

        var (configuration, warnings) = ConfigurationLoader.Load(path, NoEnvironment);

        Assert.Empty(warnings);
        Assert.Equal(LogLevelSetting.Debug, configuration.Log.Level);
        Assert.Equal(LogFormatter.Logfmt, configuration.Log.Formatter);
        Assert.True(configuration.Log.AccessLogDisabled);
        Assert.Equal("staging", configuration.Log.Fields["environment"]);
        Assert.Equal("/srv/registry", configuration.Storage.RootDirectory);
        Assert.True(configuration.Storage.DeleteEnabled);
        Assert.Equal(IPAddress.Loopback, configuration.Http.ListenAddress);
        Assert.Equal(5001, configuration.Http.ListenPort);
        Assert.Equal(new Uri("https://registry.example.com:8443"), configuration.Http.Host);
        Assert.True(configuration.Http.RelativeUrls);
        Assert.Equal(["max-age=31536000", "includeSubDomains"], configuration.Http.Headers["Strict-Transport-Security"]);
        Assert.Equal(["X-Content-Type-Options", "Strict-Transport-Security"], configuration.Http.Headers.Keys);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("absent.yml");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(path, NoEnvironment));

        Assert.Equal(path, error.Key);
        Assert.Contains("cannot read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidYaml_NamesFileAndLine()
    {
        var error = ConfigYaml.Error("version: 0.1\nstorage:\n  filesystem: [unclosed\nhttp: {}\n");

        Assert.Equal("test.yml", error.Key);
        Assert.Contains("invalid YAML at line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DocumentIsAList_NamesTheFile()
    {
        var error = ConfigYaml.Error("- version\n- storage\n");

        Assert.Equal("test.yml", error.Key);
    }

    [Fact]
    public void Load_StorageAsTypeName_SelectsThatDriver()
    {
        var configuration = ConfigYaml.Bind("version: 0.1\nstorage: inmemory\n");

        Assert.Equal(StorageDriverKind.InMemory, configuration.Storage.Driver);
    }

    [Fact]
    public void Load_FilesystemWithoutRootDirectory_UsesVarLibRegistry()
    {
        var configuration = ConfigYaml.Bind("version: 0.1\nstorage:\n  filesystem:\n");

        Assert.Equal("/var/lib/registry", configuration.Storage.RootDirectory);
    }

    [Fact]
    public void Load_DeprecatedLoglevel_UsedWhenLogLevelIsMissingAndWarned()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nloglevel: error\n");

        Assert.Equal(LogLevelSetting.Error, configuration.Log.Level);
        Assert.Contains("loglevel: deprecated; use log.level", warnings);
    }

    [Fact]
    public void Load_LogLevelAndDeprecatedLoglevel_LogLevelWins()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\nloglevel: error\nlog:\n  level: warn\n");

        Assert.Equal(LogLevelSetting.Warn, configuration.Log.Level);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("True", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("\"false\"", false)]
    public void Load_Yaml11Booleans_AreRead(string spelling, bool expected)
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\n  delete:\n    enabled: " + spelling + "\n");

        Assert.Equal(expected, configuration.Storage.DeleteEnabled);
    }

    [Fact]
    public void Load_LogstashFormatter_IsItsOwnFormatWithoutWarning()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nlog:\n  formatter: logstash\n");

        Assert.Equal(LogFormatter.Logstash, configuration.Log.Formatter);
        Assert.DoesNotContain(warnings, w => w.StartsWith("log.", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_HeaderWithOneValueWithoutBrackets_IsAOneValueList()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\nhttp:\n  headers:\n    X-Frame-Options: DENY\n");

        Assert.Equal(["DENY"], configuration.Http.Headers["x-frame-options"]);
    }
}
