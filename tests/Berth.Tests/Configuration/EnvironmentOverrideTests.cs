using System.Net;
using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class EnvironmentOverrideTests
{
    [Fact]
    public void Load_HttpAddr_OverridesTheFile()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\nhttp:\n  addr: :5000\n", ("REGISTRY_HTTP_ADDR", "127.0.0.1:6000"));

        Assert.Equal("127.0.0.1:6000", configuration.Http.Addr);
        Assert.Equal(IPAddress.Loopback, configuration.Http.ListenAddress);
        Assert.Equal(6000, configuration.Http.ListenPort);
    }

    [Fact]
    public void Load_HttpAddrWithoutHttpSection_CreatesTheSection()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_HTTP_ADDR", ":5001"));

        Assert.Null(configuration.Http.ListenAddress);
        Assert.Equal(5001, configuration.Http.ListenPort);
    }

    [Fact]
    public void Load_RootDirectory_OverridesTheFile()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/tmp/registry/test"));

        Assert.Equal("/tmp/registry/test", configuration.Storage.RootDirectory);
    }

    [Fact]
    public void Load_DeleteEnabled_CreatesNestedMapsAndReadsYamlBoolean()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_STORAGE_DELETE_ENABLED", "true"));

        Assert.True(configuration.Storage.DeleteEnabled);
    }

    [Theory]
    [InlineData("debug", LogLevelSetting.Debug)]
    [InlineData("ERROR", LogLevelSetting.Error)]
    [InlineData("warn", LogLevelSetting.Warn)]
    public void Load_LogLevel_OverridesTheFile(string value, LogLevelSetting expected)
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\nlog:\n  level: info\n", ("REGISTRY_LOG_LEVEL", value));

        Assert.Equal(expected, configuration.Log.Level);
    }

    [Fact]
    public void Load_AccessLogDisabled_CreatesNestedMaps()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_LOG_ACCESSLOG_DISABLED", "true"));

        Assert.True(configuration.Log.AccessLogDisabled);
    }

    [Fact]
    public void Load_HttpHostAndRelativeUrls_AreRead()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_HTTP_HOST", "https://registry.example.com"), ("REGISTRY_HTTP_RELATIVEURLS", "true"));

        Assert.Equal(new Uri("https://registry.example.com"), configuration.Http.Host);
        Assert.True(configuration.Http.RelativeUrls);
    }

    [Fact]
    public void Load_YamlListValue_BecomesAList()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\nhttp:\n  headers:\n    X-Content-Type-Options: [nosniff]\n",
            ("REGISTRY_HTTP_HEADERS_X-CONTENT-TYPE-OPTIONS", "[nosniff, other]"));

        // The existing key matches without regard to case and keeps its spelling.
        var header = Assert.Single(configuration.Http.Headers);
        Assert.Equal("X-Content-Type-Options", header.Key);
        Assert.Equal(["nosniff", "other"], header.Value);
    }

    [Fact]
    public void Load_NewMapKey_IsCreatedInLowerCase()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_LOG_FIELDS_ENVIRONMENT", "staging"));

        Assert.Equal("staging", configuration.Log.Fields["environment"]);
    }

    [Fact]
    public void Load_NumberValue_IsReadAsText()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_LOG_FIELDS_PORT", "5000"));

        Assert.Equal("5000", configuration.Log.Fields["port"]);
    }

    [Fact]
    public void Load_StorageInmemory_ReplacesTheWholeStorageSection()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n  delete:\n    enabled: true\n  cache:\n    blobdescriptor: redis\n",
            ("REGISTRY_STORAGE", "inmemory"));

        Assert.Equal(StorageDriverKind.InMemory, configuration.Storage.Driver);
        // registry:2 replaces the section, so the file's delete and cache settings are gone.
        Assert.False(configuration.Storage.DeleteEnabled);
        Assert.DoesNotContain(warnings, w => w.StartsWith("storage.cache", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_StorageInmemoryAndDeleteEnabled_AppliesBothInNameOrder()
    {
        // Given in the "wrong" order: variables apply sorted by name, REGISTRY_STORAGE first.
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_STORAGE_DELETE_ENABLED", "true"), ("REGISTRY_STORAGE", "inmemory"));

        Assert.Equal(StorageDriverKind.InMemory, configuration.Storage.Driver);
        Assert.True(configuration.Storage.DeleteEnabled);
    }

    [Fact]
    public void Load_StorageFilesystemAndRootDirectory_SwitchesDriverWithParameters()
    {
        var configuration = ConfigYaml.Bind("version: 0.1\nstorage: inmemory\n",
            ("REGISTRY_STORAGE", "filesystem"), ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/tmp/testroot"));

        Assert.Equal(StorageDriverKind.Filesystem, configuration.Storage.Driver);
        Assert.Equal("/tmp/testroot", configuration.Storage.RootDirectory);
    }

    [Fact]
    public void Load_VariableForAnotherDriver_AddsASecondDriverAndFails()
    {
        // As in registry:2: a variable below storage adds a key, and two drivers are refused.
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_STORAGE_INMEMORY_FOO", "bar"));

        Assert.Equal("storage", error.Key);
    }

    [Fact]
    public void Load_OtherVariables_AreNotRead()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("HTTP_ADDR", ":6000"), ("registry_http_addr", ":6001"));

        Assert.Equal(5000, configuration.Http.ListenPort);
    }

    [Fact]
    public void Load_VersionVariable_IsIgnoredWithAWarning()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal, ("REGISTRY_VERSION", "0.2"));

        Assert.Contains(warnings, w => w.StartsWith("REGISTRY_VERSION:", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_VariableBelowATextValue_IsIgnoredWithAWarning()
    {
        // Kubernetes sets REGISTRY_PORT=tcp://... and REGISTRY_PORT_5000_TCP for a service named "registry".
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal,
            ("REGISTRY_PORT", "tcp://10.0.0.1:5000"), ("REGISTRY_PORT_5000_TCP", "tcp://10.0.0.1:5000"));

        Assert.Contains("REGISTRY_PORT_5000_TCP: port is 'tcp://10.0.0.1:5000', not a map; ignored", warnings);
        Assert.Contains("port: unknown key; ignored", warnings);
    }

    [Fact]
    public void Load_ValueThatIsNotYaml_IsTakenAsText()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_LOG_FIELDS_TOKEN", "@secret%"));

        Assert.Equal("@secret%", configuration.Log.Fields["token"]);
    }

    [Fact]
    public void Load_ListIndex_ReachesIntoAList()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nhttp:\n  headers:\n    X-Test: [a, b]\n",
            ("REGISTRY_HTTP_HEADERS_X-TEST_1", "c"), ("REGISTRY_HTTP_HEADERS_X-TEST_2", "d"));

        Assert.Empty(warnings);
        Assert.Equal(["a", "c", "d"], configuration.Http.Headers["X-Test"]);
    }
}
