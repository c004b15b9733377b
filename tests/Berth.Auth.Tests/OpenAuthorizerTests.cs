using Berth.Auth.Tests.Support;
using Berth.Core;
using Microsoft.Extensions.Logging;

namespace Berth.Auth.Tests;

/// <summary>No auth section: registry:2's open registry, or anonymous rules only when an access section exists.</summary>
public sealed class OpenAuthorizerTests : IDisposable
{
    private readonly TestLoggerFactory _logs = new();

    public void Dispose() => _logs.Dispose();

    private IRegistryAuthorizer Create(AccessPolicySettings? access) =>
        RegistryAuthorizerFactory.Create(null, access, _logs, new ManualTimeProvider());

    public static TheoryData<string> Requests => ["pull", "push", "delete", "catalog", "ping"];

    private static AccessScope[] Required(string request) => request switch
    {
        "pull" => [Scopes.Pull("any/repo")],
        "push" => Scopes.PullPush("any/repo"),
        "delete" => [Scopes.Delete("any/repo")],
        "catalog" => [AccessScope.Catalog],
        _ => [],
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task AuthorizeAsync_NoAuthNoAccess_AllowsEverythingAsAnonymous(string request)
    {
        var decision = await Create(null).AuthorizeAsync(null, Required(request), default, TestContext.Current.CancellationToken);

        var allowed = Assert.IsType<AuthDecision.Allowed>(decision);
        Assert.True(allowed.Caller.IsAnonymous);
    }

    [Fact]
    public async Task AuthorizeAsync_NoAuthWithGarbageHeader_IgnoresHeader()
    {
        var decision = await Create(null).AuthorizeAsync("Basic !!!", [Scopes.Push("a")], default, TestContext.Current.CancellationToken);
        Assert.IsType<AuthDecision.Allowed>(decision);
    }

    [Fact]
    public void CanPull_NoAuthNoAccess_IsTrue() =>
        Assert.True(Create(null).CanPull(Caller.Anonymous, RepositoryName.Parse("x/y")));

    [Fact]
    public async Task AuthorizeAsync_NoAuthAnonymousRuleGrants_Allowed()
    {
        var decision = await Create(Policies.Example).AuthorizeAsync(null, [Scopes.Pull("public/nginx")], default, TestContext.Current.CancellationToken);
        Assert.IsType<AuthDecision.Allowed>(decision);
    }

    [Theory]
    [InlineData("public/nginx", "push")]
    [InlineData("team-a/app", "pull")]
    [InlineData("public/nginx", "delete")]
    public async Task AuthorizeAsync_NoAuthNotGrantedToAnonymous_DeniedBecauseNoLoginExists(string repository, string action)
    {
        AccessScope[] required = action switch
        {
            "push" => Scopes.PullPush(repository),
            "delete" => [Scopes.Delete(repository)],
            _ => [Scopes.Pull(repository)],
        };

        var decision = await Create(Policies.Example).AuthorizeAsync(null, required, default, TestContext.Current.CancellationToken);

        var denied = Assert.IsType<AuthDecision.Denied>(decision);
        Assert.True(denied.Caller.IsAnonymous);
    }

    [Fact]
    public async Task AuthorizeAsync_NoAuthWithAccessPing_Allowed()
    {
        var decision = await Create(Policies.Example).AuthorizeAsync(null, [], default, TestContext.Current.CancellationToken);
        Assert.IsType<AuthDecision.Allowed>(decision);
    }

    [Fact]
    public async Task AuthorizeAsync_NoAuthCatalogWithAnonymousPullRule_Allowed()
    {
        var decision = await Create(Policies.Example).AuthorizeAsync(null, [AccessScope.Catalog], default, TestContext.Current.CancellationToken);
        Assert.IsType<AuthDecision.Allowed>(decision);
    }

    [Fact]
    public async Task AuthorizeAsync_NoAuthCatalogWithoutAnonymousPullRule_Denied()
    {
        var access = Policies.With(Policies.Rule("**", [RegistryAction.Delete], anonymous: true));
        var decision = await Create(access).AuthorizeAsync(null, [AccessScope.Catalog], default, TestContext.Current.CancellationToken);
        Assert.IsType<AuthDecision.Denied>(decision);
    }

    [Fact]
    public void CanPull_NoAuthWithAccess_FollowsAnonymousRules()
    {
        var authorizer = Create(Policies.Example);
        Assert.True(authorizer.CanPull(Caller.Anonymous, RepositoryName.Parse("public/a/b")));
        Assert.False(authorizer.CanPull(Caller.Anonymous, RepositoryName.Parse("team-a/app")));
    }

    [Fact]
    public void Create_NoAuthRulesNamingUsers_WarnsTheyCannotApply()
    {
        Create(Policies.Example);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("access.rules[1]", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("access.rules[0]", StringComparison.Ordinal));
    }
}
