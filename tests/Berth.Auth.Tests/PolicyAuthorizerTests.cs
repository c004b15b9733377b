using Berth.Auth.Tests.Support;
using Berth.Core;

namespace Berth.Auth.Tests;

/// <summary>auth.htpasswd with the example access section (see <see cref="Policies.Example"/>).</summary>
public sealed class PolicyAuthorizerTests : IDisposable
{
    private readonly HtpasswdFile _file = new(("alice", "a"), ("bob", "b"), ("root", "r"), ("carol", "c"), ("dave", "d"));
    private readonly TestLoggerFactory _logs = new();
    private readonly IRegistryAuthorizer _authorizer;

    public PolicyAuthorizerTests()
    {
        _authorizer = RegistryAuthorizerFactory.Create(new HtpasswdAuthSettings("realm", _file.Path), Policies.Example, _logs, new ManualTimeProvider());
    }

    public void Dispose()
    {
        _file.Dispose();
        _logs.Dispose();
    }

    private Task<AuthDecision> As(string? user, params AccessScope[] required) =>
        _authorizer.AuthorizeAsync(user is null ? null : Basic.Header(user, user[..1]), required, default, TestContext.Current.CancellationToken).AsTask();

    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    public async Task AuthorizeAsync_TeamMemberPushesTeamRepository_Allowed(string user)
    {
        var allowed = Assert.IsType<AuthDecision.Allowed>(await As(user, Scopes.PullPush("team-a/app")));
        Assert.Contains("team-a", allowed.Caller.Groups);
    }

    [Fact]
    public async Task AuthorizeAsync_TeamMemberPushesPublic_Denied()
    {
        var denied = Assert.IsType<AuthDecision.Denied>(await As("alice", Scopes.PullPush("public/nginx")));
        Assert.Equal("alice", denied.Caller.User);
    }

    [Fact]
    public async Task AuthorizeAsync_TeamMemberDeletes_Denied() =>
        Assert.IsType<AuthDecision.Denied>(await As("alice", Scopes.Delete("team-a/app")));

    [Fact]
    public async Task AuthorizeAsync_AdminDeletesAnywhere_Allowed()
    {
        Assert.IsType<AuthDecision.Allowed>(await As("root", Scopes.Delete("team-a/app")));
        Assert.IsType<AuthDecision.Allowed>(await As("root", Scopes.Delete("public/x/y")));
    }

    [Fact]
    public async Task AuthorizeAsync_AdminPush_DeniedBecauseNotGranted() =>
        Assert.IsType<AuthDecision.Denied>(await As("root", Scopes.PullPush("team-a/app")));

    [Fact]
    public async Task AuthorizeAsync_UserRuleByName_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await As("carol", Scopes.PullPush("carol/tools")));

    [Fact]
    public async Task AuthorizeAsync_StarUserRule_AnyAuthenticatedUser()
    {
        Assert.IsType<AuthDecision.Allowed>(await As("dave", Scopes.Pull("shared/base")));
        Assert.IsType<AuthDecision.Unauthorized>(await As(null, Scopes.Pull("shared/base")));
    }

    [Fact]
    public async Task AuthorizeAsync_UserWithoutGrant_Denied() =>
        Assert.IsType<AuthDecision.Denied>(await As("dave", Scopes.Pull("team-a/app")));

    [Fact]
    public async Task AuthorizeAsync_AnonymousGrantAppliesToUsers_Allowed() =>
        Assert.IsType<AuthDecision.Allowed>(await As("dave", Scopes.Pull("public/nginx")));

    [Fact]
    public async Task AuthorizeAsync_EmptyBasicCredentials_TreatedAsAnonymous()
    {
        // What skopeo and podman send without credentials: "Basic " + base64(":").
        var allowed = Assert.IsType<AuthDecision.Allowed>(await _authorizer.AuthorizeAsync("Basic Og==", [Scopes.Pull("public/nginx")],
            default, TestContext.Current.CancellationToken));
        Assert.True(allowed.Caller.IsAnonymous);
        var refused = await _authorizer.AuthorizeAsync("Basic Og==", Scopes.PullPush("public/nginx"), default, TestContext.Current.CancellationToken);
        Assert.Equal("authentication required", Assert.IsType<AuthDecision.Unauthorized>(refused).Message);
    }

    [Fact]
    public async Task AuthorizeAsync_AnonymousPullOfPublic_AllowedAsAnonymous() =>
        Assert.True(Assert.IsType<AuthDecision.Allowed>(await As(null, Scopes.Pull("public/a/nginx"))).Caller.IsAnonymous);

    [Theory]
    [InlineData("team-a/app", false)]
    [InlineData("public/nginx", true)]
    public async Task AuthorizeAsync_AnonymousNotGranted_UnauthorizedWithChallenge(string repository, bool push)
    {
        var decision = await As(null, push ? Scopes.PullPush(repository) : [Scopes.Pull(repository)]);
        Assert.Equal("Basic realm=\"realm\"", Assert.IsType<AuthDecision.Unauthorized>(decision).WwwAuthenticate);
    }

    [Fact]
    public async Task AuthorizeAsync_BadCredentialsEvenForPublic_Unauthorized()
    {
        var decision = await _authorizer.AuthorizeAsync(Basic.Header("alice", "wrong"), [Scopes.Pull("public/nginx")], default, TestContext.Current.CancellationToken);
        Assert.IsType<AuthDecision.Unauthorized>(decision);
    }

    [Fact]
    public async Task AuthorizeAsync_EveryScopeMustBeGranted_OneMissingDenies()
    {
        // A cross-repository mount: pull the source, push the target.
        Assert.IsType<AuthDecision.Allowed>(await As("alice", [Scopes.Pull("public/base"), .. Scopes.PullPush("team-a/app")]));
        Assert.IsType<AuthDecision.Denied>(await As("alice", [Scopes.Pull("carol/tools"), .. Scopes.PullPush("team-a/app")]));
    }

    [Fact]
    public async Task AuthorizeAsync_Ping_AnonymousChallengedUserAllowed()
    {
        Assert.IsType<AuthDecision.Unauthorized>(await As(null));
        Assert.IsType<AuthDecision.Allowed>(await As("dave"));
    }

    [Fact]
    public async Task AuthorizeAsync_Catalog_OpenToUsersAndToAnonymousWhenAnonymousMayPull()
    {
        Assert.IsType<AuthDecision.Allowed>(await As("dave", AccessScope.Catalog));
        Assert.IsType<AuthDecision.Allowed>(await As(null, AccessScope.Catalog));
    }

    [Fact]
    public async Task AuthorizeAsync_CatalogWithoutAnonymousRules_AnonymousUnauthorized()
    {
        var access = Policies.With(Policies.Rule("**", [RegistryAction.Pull], users: ["*"]));
        var authorizer = RegistryAuthorizerFactory.Create(new HtpasswdAuthSettings("realm", _file.Path), access, _logs, new ManualTimeProvider());

        var decision = await authorizer.AuthorizeAsync(null, [AccessScope.Catalog], default, TestContext.Current.CancellationToken);

        Assert.IsType<AuthDecision.Unauthorized>(decision);
    }

    [Fact]
    public async Task CanPull_CatalogFilter_ShowsWhatEachCallerMayPull()
    {
        string[] repositories = ["public/nginx", "team-a/app", "carol/tools", "shared/base", "secret/x"];
        var alice = Assert.IsType<AuthDecision.Allowed>(await As("alice", AccessScope.Catalog)).Caller;
        var root = Assert.IsType<AuthDecision.Allowed>(await As("root", AccessScope.Catalog)).Caller;

        string[] Visible(Caller caller) => [.. repositories.Where(r => _authorizer.CanPull(caller, RepositoryName.Parse(r)))];

        Assert.Equal(["public/nginx"], Visible(Caller.Anonymous));
        Assert.Equal(["public/nginx", "team-a/app", "shared/base"], Visible(alice));
        Assert.Equal(repositories, Visible(root));
    }
}
