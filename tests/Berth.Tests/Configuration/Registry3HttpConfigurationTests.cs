using Xunit;

namespace Berth.Tests.Configuration;

/// <summary>registry:3's <c>http</c> keys: <c>prefix</c>, <c>h2c.enabled</c> and <c>http2.disabled</c>.</summary>
public sealed class Registry3HttpConfigurationTests
{
    [Theory]
    [InlineData("/registry/", "/registry")]
    [InlineData("/registry", "/registry")]
    [InlineData("/a/b-c_d.e~f/", "/a/b-c_d.e~f")]
    [InlineData("/", "")]
    [InlineData("''", "")]
    public void Load_Prefix_KeptWithoutTrailingSlash(string written, string expected)
    {
        Assert.Equal(expected, ConfigYaml.Bind(ConfigYaml.Minimal + $"\nhttp:\n  prefix: {written}\n").Http.Prefix);
    }

    [Fact]
    public void Load_NoPrefix_ServedAtRoot()
    {
        Assert.Equal("", ConfigYaml.Bind(ConfigYaml.Minimal).Http.Prefix);
    }

    [Fact]
    public void Load_PrefixFromEnvironment_Applied()
    {
        Assert.Equal("/mirror", ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_HTTP_PREFIX", "/mirror/")).Http.Prefix);
    }

    [Theory]
    [InlineData("registry/")]
    [InlineData("/a//b/")]
    [InlineData("/a/../b/")]
    [InlineData("/./")]
    [InlineData("/a b/")]
    [InlineData("/a?x/")]
    [InlineData("/%2e%2e/")]
    public void Load_BadPrefix_NamesKey(string written)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + $"\nhttp:\n  prefix: \"{written}\"\n");

        Assert.Equal("http.prefix", error.Key);
        Assert.Contains(written, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProtocolKeysAbsent_Http2OverTlsOnlyAndNoH2c()
    {
        var http = ConfigYaml.Bind(ConfigYaml.Minimal).Http;

        Assert.False(http.H2cEnabled);
        Assert.False(http.Http2Disabled);
    }

    [Fact]
    public void Load_ProtocolKeysInFile_Read()
    {
        var http = ConfigYaml.Bind(ConfigYaml.Minimal + "\nhttp:\n  h2c:\n    enabled: true\n  http2:\n    disabled: true\n").Http;

        Assert.True(http.H2cEnabled);
        Assert.True(http.Http2Disabled);
    }

    [Fact]
    public void Load_ProtocolKeysFromEnvironment_Read()
    {
        var http = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_HTTP_H2C_ENABLED", "true"), ("REGISTRY_HTTP_HTTP2_DISABLED", "true")).Http;

        Assert.True(http.H2cEnabled);
        Assert.True(http.Http2Disabled);
    }

    [Fact]
    public void Load_H2cNotABoolean_NamesKey()
    {
        Assert.Equal("http.h2c.enabled", ConfigYaml.Error(ConfigYaml.Minimal + "\nhttp:\n  h2c:\n    enabled: maybe\n").Key);
    }

    [Theory]
    [InlineData("prefix: /r/")]
    [InlineData("h2c:\n    enabled: true")]
    [InlineData("http2:\n    disabled: true")]
    public void Load_Registry3HttpKey_NoWarning(string keys)
    {
        var result = ConfigYaml.Load(ConfigYaml.Minimal + $"\nhttp:\n  {keys}\n");

        Assert.Empty(result.Warnings);
    }
}
