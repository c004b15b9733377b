using Berth.Core;
using Berth.Proxy.Routing;

namespace Berth.Proxy.Tests;

public sealed class UpstreamRouterTests
{
    private static readonly UpstreamRemote DockerHub = new("docker.io", new Uri("https://registry-1.docker.io"), Prefix: null);
    private static readonly UpstreamRemote Ghcr = new("ghcr.io", new Uri("https://ghcr.io"), Prefix: "ghcr");
    private static readonly UpstreamRemote Quay = new("quay", new Uri("https://quay.io"), Prefix: "mirrors/quay/");
    private static readonly UpstreamRemote Private = new("corp", new Uri("http://10.0.0.5:5000"), Prefix: "corp");

    private readonly UpstreamRouter _router = new([DockerHub, Ghcr, Quay, Private]);

    [Theory]
    [InlineData("ghcr/org/app", "ghcr.io", "org/app")]
    [InlineData("mirrors/quay/coreos/etcd", "quay", "coreos/etcd")]
    [InlineData("corp/team/tool", "corp", "team/tool")]
    [InlineData("library/nginx", "docker.io", "library/nginx")]
    [InlineData("bitnami/redis", "docker.io", "bitnami/redis")]
    [InlineData("ghcrx/org/app", "docker.io", "ghcrx/org/app")]
    [InlineData("nginx", "docker.io", "library/nginx")]
    public void Route_ByPrefixElseTheUnprefixedRemote(string name, string remote, string upstream)
    {
        var route = _router.Route(RepositoryName.Parse(name));

        Assert.Equal((remote, upstream), (route!.Remote.Name, route.UpstreamRepository));
    }

    [Theory]
    [InlineData("library/nginx", "docker.io", "library/nginx", "docker.io", "library/nginx")]
    [InlineData("nginx", "registry-1.docker.io", "library/nginx", "docker.io", "library/nginx")]
    [InlineData("org/app", "ghcr.io", "ghcr/org/app", "ghcr.io", "org/app")]
    [InlineData("ghcr/org/app", "ghcr.io", "ghcr/ghcr/org/app", "ghcr.io", "ghcr/org/app")]
    [InlineData("team/tool", "10.0.0.5:5000", "corp/team/tool", "corp", "team/tool")]
    [InlineData("coreos/etcd", "QUAY.IO", "mirrors/quay/coreos/etcd", "quay", "coreos/etcd")]
    public void LocalName_ContainerdNamespace_TheNameTheRemotesMirrorIsKeptUnder(string name, string ns, string local, string remote, string upstream)
    {
        var localName = _router.LocalName(RepositoryName.Parse(name), ns);
        var route = _router.Route(localName!.Value);

        Assert.Equal((local, remote, upstream), (localName.Value.Value, route!.Remote.Name, route.UpstreamRepository));
    }

    [Fact]
    public void LocalName_NamespaceNoRemoteAnswersFor_TheNameItself()
    {
        Assert.Equal("team/app", _router.LocalName(RepositoryName.Parse("team/app"), "registry.example.com")!.Value.Value);
    }

    [Fact]
    public void LocalName_PrefixMakesItTooLong_Null()
    {
        Assert.Null(_router.LocalName(RepositoryName.Parse(new string('a', RepositoryName.MaxLength)), "ghcr.io"));
    }

    [Theory]
    [InlineData("team/app")]
    [InlineData("ghcr")]
    [InlineData("mirrors/quay")]
    public void Route_NoPrefixMatchesAndNoUnprefixedRemote_Local(string name)
    {
        var router = new UpstreamRouter([Ghcr, Quay]);

        Assert.Null(router.Route(RepositoryName.Parse(name)));
    }

    [Fact]
    public void Route_OneRemoteAndNoPrefix_EveryNameAsRegistry2Mirrors()
    {
        var router = new UpstreamRouter([new UpstreamRemote("registry-1.docker.io", new Uri("https://registry-1.docker.io"), null)]);

        Assert.Equal("library/alpine", router.Route(RepositoryName.Parse("alpine"))!.UpstreamRepository);
        Assert.Equal("team/app", router.Route(RepositoryName.Parse("team/app"))!.UpstreamRepository);
    }

    [Fact]
    public void New_TwoRemotesWithoutPrefixOrSharingOne_Refused()
    {
        Assert.Throws<ArgumentException>(() => new UpstreamRouter([DockerHub, DockerHub with { Name = "hub2" }]));
        Assert.Throws<ArgumentException>(() => new UpstreamRouter([Ghcr, Private with { Prefix = "ghcr/" }]));
        Assert.Throws<ArgumentException>(() => new UpstreamRouter([Ghcr, Private with { Name = "GHCR.io" }]));
    }

    [Theory]
    [InlineData("team/app", true)]
    [InlineData("team/tools/lint", true)]
    [InlineData("library/nginx", false)]
    [InlineData("teams/app", false)]
    public void Route_LocalPatterns_KeptFromTheUnprefixedRemote(string name, bool local)
    {
        Assert.True(Core.Patterns.RepositoryGlob.TryParse("team/**", out var team, out _));
        var router = new UpstreamRouter([DockerHub, Ghcr], [team!]);

        Assert.Equal(local, router.Route(RepositoryName.Parse(name)) is null);
        Assert.NotNull(router.Route(RepositoryName.Parse("ghcr/team/app")));
    }
}

