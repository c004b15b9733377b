using Berth.Auth.Tests.Support;
using Berth.Core;

namespace Berth.Auth.Tests;

/// <summary>auth.htpasswd without an access section: registry:2's all-or-nothing.</summary>
public sealed class HtpasswdAuthorizerTests : IDisposable
{
    private const string Challenge = "Basic realm=\"Registry Realm\"";

    private readonly HtpasswdFile _file = new(("moby", "gordon"));
    private readonly TestLoggerFactory _logs = new();
    private readonly CountingVerifier _verifier = new();

    public void Dispose()
    {
        _file.Dispose();
        _logs.Dispose();
    }

    private IRegistryAuthorizer Create(string realm = "Registry Realm") =>
        RegistryAuthorizerFactory.Create(new HtpasswdAuthSettings(realm, _file.Path), null, _logs, new ManualTimeProvider(), _verifier);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthorizeAsync_ValidCredentials_AllowsEverythingAsThatUser()
    {
        var authorizer = Create();
        var header = Basic.Header("moby", "gordon");

        foreach (var required in new[] { [Scopes.Pull("a/b")], Scopes.PullPush("a/b"), [Scopes.Delete("a/b")], [AccessScope.Catalog] })
        {
            var allowed = Assert.IsType<AuthDecision.Allowed>(await authorizer.AuthorizeAsync(header, required, default, Ct));
            Assert.Equal("moby", allowed.Caller.User);
            Assert.False(allowed.Caller.IsAnonymous);
        }
    }

    [Fact]
    public async Task AuthorizeAsync_NoCredentials_UnauthorizedWithBasicChallenge()
    {
        var decision = await Create().AuthorizeAsync(null, [Scopes.Pull("a/b")], default, Ct);

        var unauthorized = Assert.IsType<AuthDecision.Unauthorized>(decision);
        Assert.Equal(Challenge, unauthorized.WwwAuthenticate);
    }

    [Fact]
    public async Task AuthorizeAsync_WrongPasswordAndUnknownUser_IdenticalUnauthorized()
    {
        var authorizer = Create();

        var wrongPassword = await authorizer.AuthorizeAsync(Basic.Header("moby", "nope"), [Scopes.Pull("a/b")], default, Ct);
        var unknownUser = await authorizer.AuthorizeAsync(Basic.Header("nobody", "gordon"), [Scopes.Pull("a/b")], default, Ct);

        Assert.IsType<AuthDecision.Unauthorized>(wrongPassword);
        Assert.Equal(wrongPassword, unknownUser);
        Assert.Equal(Challenge, ((AuthDecision.Unauthorized)unknownUser).WwwAuthenticate);
    }

    [Theory]
    [InlineData("Basic !!!")]
    [InlineData("Basic bW9ieQ==")]
    [InlineData("Basic OmdvcmRvbg==")]
    [InlineData("Bearer abc")]
    [InlineData("Digest x")]
    public async Task AuthorizeAsync_MalformedHeader_UnauthorizedNotException(string header)
    {
        var decision = await Create().AuthorizeAsync(header, [Scopes.Pull("a/b")], default, Ct);

        Assert.Equal(Challenge, Assert.IsType<AuthDecision.Unauthorized>(decision).WwwAuthenticate);
        Assert.Equal(0, _verifier.Verifications);
    }

    [Fact]
    public async Task AuthorizeAsync_PingAnonymous_Unauthorized()
    {
        var decision = await Create().AuthorizeAsync(null, [], default, Ct);
        Assert.Equal(Challenge, Assert.IsType<AuthDecision.Unauthorized>(decision).WwwAuthenticate);
    }

    [Fact]
    public async Task AuthorizeAsync_PingWithValidCredentials_Allowed()
    {
        var decision = await Create().AuthorizeAsync(Basic.Header("moby", "gordon"), [], default, Ct);
        Assert.Equal("moby", Assert.IsType<AuthDecision.Allowed>(decision).Caller.User);
    }

    [Fact]
    public async Task AuthorizeAsync_ManyRequests_BcryptRunsOnce()
    {
        var authorizer = Create();
        for (var i = 0; i < 50; i++)
        {
            Assert.IsType<AuthDecision.Allowed>(await authorizer.AuthorizeAsync(Basic.Header("moby", "gordon"), [Scopes.Pull("a/b")], default, Ct));
        }

        Assert.Equal(1, _verifier.Verifications);
    }

    [Fact]
    public async Task AuthorizeAsync_RealmWithQuotes_IsEscapedInChallenge()
    {
        var decision = await Create("my \"special\" realm").AuthorizeAsync(null, [Scopes.Pull("a/b")], default, Ct);
        Assert.Equal("Basic realm=\"my \\\"special\\\" realm\"", Assert.IsType<AuthDecision.Unauthorized>(decision).WwwAuthenticate);
    }

    [Fact]
    public async Task AuthorizeAsync_Failures_NeverLogPasswordOrHeader()
    {
        var authorizer = Create();
        var header = Basic.Header("moby", "s3cr3t-typo");
        await authorizer.AuthorizeAsync(header, [Scopes.Pull("a/b")], default, Ct);
        await authorizer.AuthorizeAsync(Basic.Header("moby", "gordon"), [Scopes.Pull("a/b")], default, Ct);

        Assert.DoesNotContain("s3cr3t-typo", _logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("gordon", _logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(header["Basic ".Length..], _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void CanPull_AnonymousOrUser_OnlyUser()
    {
        var authorizer = Create();
        Assert.False(authorizer.CanPull(Caller.Anonymous, RepositoryName.Parse("a/b")));
        Assert.True(authorizer.CanPull(new Caller("moby", new HashSet<string>(), null), RepositoryName.Parse("a/b")));
    }
}
