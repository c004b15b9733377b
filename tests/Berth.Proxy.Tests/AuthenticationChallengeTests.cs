using System.Net.Http.Headers;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Tests;

public sealed class AuthenticationChallengeTests
{
    [Fact]
    public void ParseParameters_DockerHubBearerChallenge_ReadsRealmServiceAndScope()
    {
        var parameters = AuthenticationChallenge.ParseParameters(
            "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\"");

        Assert.Equal(("https://auth.docker.io/token", "registry.docker.io", "repository:library/nginx:pull"),
            (parameters["realm"], parameters["service"], parameters["scope"]));
    }

    [Fact]
    public void ParseParameters_QuotedCommaEscapesSpacesAndBareTokens_EachValueWhole()
    {
        var parameters = AuthenticationChallenge.ParseParameters(
            " Realm = \"a,b\" , scope=\"repository:x:pull,push\", error=invalid_token, note=\"say \\\"hi\\\"\"");

        Assert.Equal(["a,b", "repository:x:pull,push", "invalid_token", "say \"hi\""],
            [parameters["realm"], parameters["scope"], parameters["error"], parameters["note"]]);
    }

    [Fact]
    public void ParseParameters_UnterminatedQuoteOrNoEquals_KeepsWhatParsed()
    {
        Assert.Equal("x", AuthenticationChallenge.ParseParameters("realm=\"x")["realm"]);
        Assert.Equal(["realm"], AuthenticationChallenge.ParseParameters("realm=y, garbage").Keys);
        Assert.Empty(AuthenticationChallenge.ParseParameters(null));
    }

    [Fact]
    public void Select_BasicAndBearerOffered_PrefersBearer()
    {
        using var response = new HttpResponseMessage();
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"registry\""));
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("bearer", "realm=\"http://token/\""));

        var challenge = AuthenticationChallenge.Select(response.Headers.WwwAuthenticate);

        Assert.True(challenge is { IsBearer: true });
        Assert.Equal("http://token/", challenge["realm"]);
    }

    [Fact]
    public void Select_OnlyAnUnknownScheme_None()
    {
        using var response = new HttpResponseMessage();
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Negotiate"));

        Assert.Null(AuthenticationChallenge.Select(response.Headers.WwwAuthenticate));
    }
}
