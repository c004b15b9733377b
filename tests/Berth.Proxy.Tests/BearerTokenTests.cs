using System.Text;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Tests;

public sealed class BearerTokenTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_TokenAndExpiresIn_ValidUntilTenSecondsBeforeTheEnd()
    {
        var token = Parse("""{"token":"abc","access_token":"other","expires_in":300,"issued_at":"2001-01-01T00:00:00Z"}""");

        Assert.Equal(("abc", Received.AddSeconds(290)), (token.Value, token.ExpiresAt));
        Assert.True(token.IsValidAt(Received.AddSeconds(289)));
        Assert.False(token.IsValidAt(Received.AddSeconds(290)));
    }

    [Theory]
    [InlineData("""{"access_token":"abc"}""")]
    [InlineData("""{"access_token":"abc","expires_in":5}""")]
    [InlineData("""{"access_token":"abc","expires_in":"3600"}""")]
    public void Parse_OAuthFieldAndNoUsableLifetime_TheSpecsSixtySeconds(string json)
    {
        var token = Parse(json);

        Assert.Equal(("abc", Received.AddSeconds(50)), (token.Value, token.ExpiresAt));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"token":""}""")]
    [InlineData("""["token"]""")]
    public void Parse_NoToken_UpstreamException(string body)
    {
        Assert.Throws<UpstreamException>(() => Parse(body));
    }

    private static BearerToken Parse(string json) => BearerToken.Parse(Encoding.UTF8.GetBytes(json), Received);
}
