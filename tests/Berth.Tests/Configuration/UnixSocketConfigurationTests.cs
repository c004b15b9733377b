using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>http.net: unix</c> with <c>http.addr</c> as the socket's path, from the file or REGISTRY_* variables.</summary>
public sealed class UnixSocketConfigurationTests
{
    [Fact]
    public void Load_Default_ListensOnTcp()
    {
        Assert.Null(ConfigYaml.Bind(ConfigYaml.Minimal).Http.UnixSocket);
    }

    [Fact]
    public void Load_NetTcp_ListensOnTcp()
    {
        var http = ConfigYaml.Bind(ConfigYaml.Minimal + "\nhttp:\n  net: tcp\n  addr: 127.0.0.1:5001\n").Http;

        Assert.Null(http.UnixSocket);
        Assert.Equal(5001, http.ListenPort);
    }

    [Fact]
    public void Load_NetUnixInFile_SocketPath()
    {
        var http = ConfigYaml.Bind(ConfigYaml.Minimal + "\nhttp:\n  net: unix\n  addr: /run/berth/registry.sock\n").Http;

        Assert.Equal("/run/berth/registry.sock", http.UnixSocket);
    }

    [Fact]
    public void Load_NetUnixByVariables_SocketPath()
    {
        var http = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_HTTP_NET", "unix"), ("REGISTRY_HTTP_ADDR", "/run/berth/registry.sock")).Http;

        Assert.Equal("/run/berth/registry.sock", http.UnixSocket);
    }

    [Fact]
    public void Load_UnknownNet_NamesHttpNet()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_HTTP_NET", "udp"));

        Assert.Equal("http.net", error.Key);
        Assert.Contains("'udp'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("@registry", "abstract")]
    [InlineData("/run/a-very-long-folder-name-that-goes-on/and-on-and-on/and-on-and-on-and-on/and-on-and-on-and-on/until-it-no-longer-fits.sock", "at most 107 bytes")]
    public void Load_NetUnixBadAddr_NamesHttpAddr(string? addr, string reason)
    {
        var yaml = ConfigYaml.Minimal + "\nhttp:\n  net: unix\n" + (addr is null ? "" : $"  addr: \"{addr}\"\n");

        var error = ConfigYaml.Error(yaml);

        Assert.Equal("http.addr", error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
