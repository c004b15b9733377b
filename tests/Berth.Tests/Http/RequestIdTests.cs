using Berth.Hosting;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace Berth.Tests.Http;

public sealed class RequestIdTests
{
    [Theory]
    [InlineData("proxy-123")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("0HNQ1:00000001")]
    public void For_AcceptableIncomingId_IsKept(string incoming)
    {
        Assert.Equal(incoming, RequestId.For(incoming));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("new\nline")]
    [InlineData("caf\u00e9")]
    [InlineData("tab\tid")]
    public void For_UnacceptableIncomingId_IsReplaced(string incoming)
    {
        Assert.Matches("^[0-9a-f]{32}$", RequestId.For(incoming));
    }

    [Fact]
    public void For_IdLongerThanTheBound_IsReplaced()
    {
        Assert.Equal(new string('a', RequestId.MaxLength), RequestId.For(new string('a', RequestId.MaxLength)));
        Assert.Matches("^[0-9a-f]{32}$", RequestId.For(new string('a', RequestId.MaxLength + 1)));
    }

    [Fact]
    public void For_NoneOrTwoIncomingIds_MakesAFreshOneEachTime()
    {
        var first = RequestId.For(StringValues.Empty);
        var second = RequestId.For(new StringValues(["a", "b"]));

        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.NotEqual(first, second);
    }
}
