using Berth.Auth.Token;
using Berth.Core;

namespace Berth.Auth.Tests;

public sealed class BearerChallengeTests
{
    private static AccessScope Scope(string repository, RegistryAction action) => AccessScope.Repository(RepositoryName.Parse(repository), action);

    [Fact]
    public void Format_PullAndPushOfOneRepository_MergesActions()
    {
        var header = BearerChallenge.Format("https://auth/token", "registry", [Scope("labs/nginx", RegistryAction.Pull), Scope("labs/nginx", RegistryAction.Push)], null);
        Assert.Equal("Bearer realm=\"https://auth/token\",service=\"registry\",scope=\"repository:labs/nginx:pull,push\"", header);
    }

    [Fact]
    public void Format_SeveralRepositories_SeparatesBySpace()
    {
        var header = BearerChallenge.Format("r", "s", [Scope("a", RegistryAction.Pull), Scope("b", RegistryAction.Pull), Scope("b", RegistryAction.Push), Scope("a", RegistryAction.Pull)], BearerChallenge.InsufficientScope);
        Assert.Equal("Bearer realm=\"r\",service=\"s\",scope=\"repository:a:pull repository:b:pull,push\",error=\"insufficient_scope\"", header);
    }

    [Fact]
    public void Format_Catalog_UsesRegistryScope()
    {
        var header = BearerChallenge.Format("r", "s", [AccessScope.Catalog], BearerChallenge.InvalidToken);
        Assert.Equal("Bearer realm=\"r\",service=\"s\",scope=\"registry:catalog:*\",error=\"invalid_token\"", header);
    }

    [Fact]
    public void Format_NothingRequired_HasNoScope()
    {
        Assert.Equal("Bearer realm=\"r\",service=\"s\"", BearerChallenge.Format("r", "s", [], null));
    }
}
