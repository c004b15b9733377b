using System.Net;
using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class ListenAddressParserTests
{
    [Theory]
    [InlineData(":5000", null, 5000)]
    [InlineData("127.0.0.1:5000", "127.0.0.1", 5000)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("localhost:5001", "127.0.0.1", 5001)]
    [InlineData("[::1]:5000", "::1", 5000)]
    [InlineData("[::]:443", "::", 443)]
    [InlineData(":0", null, 0)]
    public void Parse_ValidAddress_GivesAddressAndPort(string addr, string? address, int port)
    {
        var (parsedAddress, parsedPort) = ListenAddressParser.Parse(addr);

        Assert.Equal(address is null ? null : IPAddress.Parse(address), parsedAddress);
        Assert.Equal(port, parsedPort);
    }

    [Theory]
    [InlineData("5000")]
    [InlineData(":65536")]
    [InlineData(":http")]
    [InlineData(":-1")]
    [InlineData("127.0.0.1:")]
    [InlineData("::1:5000")]
    [InlineData("[::1]5000")]
    [InlineData("")]
    public void Parse_BadAddress_NamesHttpAddr(string addr)
    {
        var error = Assert.Throws<ConfigurationException>(() => ListenAddressParser.Parse(addr));

        Assert.Equal("http.addr", error.Key);
        Assert.Contains($"'{addr}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadPortFromEnvironment_NamesHttpAddr()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_HTTP_ADDR", ":99999"));

        Assert.Equal("http.addr", error.Key);
    }
}
