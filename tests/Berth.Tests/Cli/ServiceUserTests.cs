using Berth.Hosting.Privileges;
using Xunit;

namespace Berth.Tests.Cli;

public sealed class ServiceUserTests
{
    [Theory]
    [InlineData("1654:1654", 1654u, 1654u)]
    [InlineData("1654", 1654u, 1654u)]
    [InlineData("1000:100", 1000u, 100u)]
    public void TryParse_UidAndGroup_AsDockerUser(string text, uint uid, uint gid)
    {
        Assert.True(ServiceUser.TryParse(text, out var user));
        Assert.Equal(new ServiceUser(uid, gid), user);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0:0")]
    [InlineData("1654:0")]
    [InlineData("app")]
    [InlineData("")]
    [InlineData("1654:")]
    [InlineData("1:2:3")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("4294967295")]
    public void TryParse_NotAServiceUser_Refused(string text)
    {
        Assert.False(ServiceUser.TryParse(text, out _));
    }
}
