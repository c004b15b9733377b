using System.Text;
using Berth.Cli;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>Reading back a server's config file from its command line, as the image's entrypoint and users start it.</summary>
public sealed class ServeInvocationTests
{
    [Theory]
    [InlineData("/etc/distribution/config.yml", "berth", "serve", "--user", "1654:1654", "/etc/distribution/config.yml")]
    [InlineData("/my/config.yml", "/app/berth", "serve", "/my/config.yml", "--user", "1654:1654")]
    [InlineData("/my/config.yml", "berth", "serve", "--user=1654", "/my/config.yml")]
    [InlineData("conf/registry.yaml", "berth", "conf/registry.yaml")]
    [InlineData("/c.yml", "dotnet", "/src/bin/berth.dll", "serve", "/c.yml")]
    [InlineData("-odd.yml", "berth", "serve", "--", "-odd.yml")]
    [InlineData(null, "berth", "serve")]
    [InlineData(null, "berth", "serve", "--user", "1654")]
    public void TryParseArguments_BerthServe_TheConfigArgument(string? expected, params string[] argv)
    {
        Assert.True(ServeInvocation.TryParseArguments(argv, out var configFile));
        Assert.Equal(expected, configFile);
    }

    [Theory]
    [InlineData("berth", "healthcheck", "/etc/distribution/config.yml")]
    [InlineData("berth", "garbage-collect", "/etc/distribution/config.yml")]
    [InlineData("berth")]
    [InlineData("/bin/sh", "/entrypoint.sh", "serve", "/etc/distribution/config.yml")]
    [InlineData("registry", "serve", "/etc/distribution/config.yml")]
    [InlineData("dotnet", "other.dll", "serve")]
    [InlineData]
    public void TryParseArguments_NotBerthServing_False(params string[] argv)
    {
        Assert.False(ServeInvocation.TryParseArguments(argv, out _));
    }

    [Fact]
    public void SplitCommandLine_NulTerminatedArguments_EachArgumentOnce()
    {
        var cmdline = Encoding.UTF8.GetBytes("berth\0serve\0--user\01654:1654\0/etc/distribution/config.yml\0");

        Assert.Equal(["berth", "serve", "--user", "1654:1654", "/etc/distribution/config.yml"], ServeInvocation.SplitCommandLine(cmdline));
        Assert.Empty(ServeInvocation.SplitCommandLine([]));
    }
}
