using Berth.Auth.Tests.Support;
using Berth.TestKit;

namespace Berth.Auth.Tests;

/// <summary>Configuration errors are refused at startup with the dotted key at fault.</summary>
public sealed class RegistryAuthorizerFactoryTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly TempDirectory _directory = new("berth-auth-config");
    private readonly TokenIssuer _issuer;

    public RegistryAuthorizerFactoryTests()
    {
        _issuer = new TokenIssuer(_time);
    }

    public void Dispose()
    {
        _issuer.Dispose();
        _directory.Dispose();
        _logs.Dispose();
    }

    private AuthConfigurationException Refused(AuthSettings? auth, AccessPolicySettings? access = null) =>
        Assert.Throws<AuthConfigurationException>(() => RegistryAuthorizerFactory.Create(auth, access, _logs, _time));

    private string Write(string name, string content)
    {
        var path = _directory.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Create_MissingHtpasswdFile_RefusedWithoutCreatingIt()
    {
        var path = _directory.Combine("htpasswd");

        var error = Refused(new HtpasswdAuthSettings("realm", path));

        Assert.Equal("auth.htpasswd.path", error.Key);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("berth htpasswd", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Create_HtpasswdPathIsFolder_Refused() =>
        Assert.Equal("auth.htpasswd.path", Refused(new HtpasswdAuthSettings("realm", _directory.Path)).Key);

    [Theory]
    [InlineData("", "/x", "auth.htpasswd.realm")]
    [InlineData("realm", "", "auth.htpasswd.path")]
    public void Create_HtpasswdSettingMissing_Refused(string realm, string path, string key) =>
        Assert.Equal(key, Refused(new HtpasswdAuthSettings(realm, path)).Key);

    [Fact]
    public void Create_TokenWithoutAnyKey_Refused()
    {
        var error = Refused(new TokenAuthSettings("r", "s", "i", null, null));
        Assert.Equal("auth.token.rootcertbundle", error.Key);
    }

    [Theory]
    [InlineData("", "s", "i", "auth.token.realm")]
    [InlineData("r", "", "i", "auth.token.service")]
    [InlineData("r", "s", "", "auth.token.issuer")]
    public void Create_TokenSettingMissing_Refused(string realm, string service, string issuer, string key) =>
        Assert.Equal(key, Refused(new TokenAuthSettings(realm, service, issuer, _issuer.BundlePath, null)).Key);

    [Fact]
    public void Create_MissingBundle_Refused() =>
        Assert.Equal("auth.token.rootcertbundle", Refused(new TokenAuthSettings("r", "s", "i", _directory.Combine("none.pem"), null)).Key);

    [Theory]
    [InlineData("")]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void Create_InvalidBundle_Refused(string content) =>
        Assert.Equal("auth.token.rootcertbundle", Refused(new TokenAuthSettings("r", "s", "i", Write("bundle.pem", content), null)).Key);

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"keys":[]}""")]
    [InlineData("""{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}""")]
    [InlineData("""{"keys":[{"kty":"oct","kid":"k","k":"c2VjcmV0"}]}""")]
    public void Create_InvalidJwks_Refused(string content) =>
        Assert.Equal("auth.token.jwks", Refused(new TokenAuthSettings("r", "s", "i", null, Write("jwks.json", content))).Key);

    [Fact]
    public void Create_MissingJwks_Refused() =>
        Assert.Equal("auth.token.jwks", Refused(new TokenAuthSettings("r", "s", "i", _issuer.BundlePath, _directory.Combine("none.json"))).Key);

    [Fact]
    public void Create_AccessWithTokenAuth_Refused()
    {
        var error = Refused(_issuer.Settings(), Policies.Example);
        Assert.Equal("access", error.Key);
        Assert.Contains("token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RuleWithUnknownGroup_RefusedAtThatRule()
    {
        var access = Policies.With(
            Policies.Rule("public/**", [RegistryAction.Pull], anonymous: true),
            Policies.Rule("team/**", [RegistryAction.Push], groups: ["ghosts"]));

        var error = Refused(null, access);

        Assert.Equal("access.rules[1].groups", error.Key);
        Assert.Contains("ghosts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Upper/*")]
    [InlineData("a**")]
    [InlineData("a//b")]
    [InlineData("")]
    public void Create_RuleWithInvalidGlob_RefusedAtThatRule(string pattern)
    {
        var access = Policies.With(Policies.Rule("ok/*", [RegistryAction.Pull], anonymous: true), Policies.Rule("ok2/*", [RegistryAction.Pull], anonymous: true), Policies.Rule(pattern, [RegistryAction.Pull], anonymous: true));
        Assert.Equal("access.rules[2].repositories", Refused(null, access).Key);
    }

    [Fact]
    public void Create_RuleWithoutActions_Refused() =>
        Assert.Equal("access.rules[0].actions", Refused(null, Policies.With(Policies.Rule("a/*", [], anonymous: true))).Key);

    [Fact]
    public void Create_RuleWithoutSubject_Refused() =>
        Assert.Equal("access.rules[0]", Refused(null, Policies.With(Policies.Rule("a/*", [RegistryAction.Pull]))).Key);

    [Fact]
    public void Create_RuleWithoutRepositories_Refused() =>
        Assert.Equal("access.rules[0].repositories", Refused(null, Policies.With(new AccessRule([], [RegistryAction.Pull], [], [], true))).Key);

    [Fact]
    public void Create_ValidConfigurations_Succeed()
    {
        using var htpasswd = new HtpasswdFile(("moby", "gordon"));
        Assert.NotNull(RegistryAuthorizerFactory.Create(null, null, _logs, _time));
        Assert.NotNull(RegistryAuthorizerFactory.Create(null, Policies.Example, _logs, _time));
        Assert.NotNull(RegistryAuthorizerFactory.Create(new HtpasswdAuthSettings("r", htpasswd.Path), Policies.Example, _logs, _time));
        Assert.NotNull(RegistryAuthorizerFactory.Create(_issuer.Settings(), null, _logs, _time));
    }
}
