using Berth.Proxy.Upstream;

namespace Berth.Proxy.Tests;

public sealed class UpstreamScopeTests
{
    [Theory]
    [InlineData("https://registry-1.docker.io/v2/library/nginx/manifests/latest", "repository:library/nginx:pull")]
    [InlineData("http://127.0.0.1:5000/v2/a/blobs/sha256:abc", "repository:a:pull")]
    [InlineData("http://h/v2/team/blobs/app/blobs/sha256:abc", "repository:team/blobs/app:pull")]
    [InlineData("http://h/v2/org/app/tags/list?n=10", "repository:org/app:pull")]
    [InlineData("http://h/v2/org/app/referrers/sha256:abc", "repository:org/app:pull")]
    [InlineData("http://h/v2/", null)]
    public void For_RegistryPaths_PullScopeOfTheRepository(string uri, string? scope)
    {
        Assert.Equal(scope, UpstreamScope.For(new Uri(uri)));
    }

    [Fact]
    public void TokenRequestUri_ServiceAndSeveralScopes_EachItsOwnParameterAfterTheRealmsQuery()
    {
        var uri = UpstreamAuthenticator.TokenRequestUri(new Uri("https://auth.example/token?account=x"), "registry.example",
            "repository:a/b:pull repository:c:pull");

        Assert.Equal("https://auth.example/token?account=x&service=registry.example&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Ac%3Apull",
            uri.AbsoluteUri);
    }
}
