using Berth.Auth;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class AuthConfigurationTests
{
    [Fact]
    public void Load_NoAuth_IsNull()
    {
        Assert.Null(ConfigYaml.Bind(ConfigYaml.Minimal).Auth);
    }

    [Fact]
    public void Load_Htpasswd_BindsRealmAndPath()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\nauth:\n  htpasswd:\n    realm: basic-realm\n    path: /auth/htpasswd\n");

        Assert.Equal(new HtpasswdAuthSettings("basic-realm", "/auth/htpasswd"), configuration.Auth);
    }

    [Fact]
    public void Load_LabEnvironment_SelectsHtpasswd()
    {
        // The registry lab's exact variables.
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal,
            ("REGISTRY_AUTH", "htpasswd"), ("REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm"), ("REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd"));

        Assert.Equal(new HtpasswdAuthSettings("Registry Realm", "/auth/htpasswd"), configuration.Auth);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_AuthVariable_ReplacesTheFilesKind()
    {
        const string Token = "\nauth:\n  token:\n    realm: https://auth.example.com/token\n    service: registry\n    issuer: auth\n    rootcertbundle: /certs/bundle.pem\n";
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + Token,
            ("REGISTRY_AUTH", "htpasswd"), ("REGISTRY_AUTH_HTPASSWD_REALM", "r"), ("REGISTRY_AUTH_HTPASSWD_PATH", "/p"));

        Assert.IsType<HtpasswdAuthSettings>(configuration.Auth);
    }

    [Fact]
    public void Load_Token_BindsEveryKey()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + """

            auth:
              token:
                realm: https://auth.example.com/token
                service: registry.example.com
                issuer: auth.example.com
                rootcertbundle: /certs/bundle.pem
                jwks: /certs/jwks.json
            """);

        Assert.Equal(new TokenAuthSettings("https://auth.example.com/token", "registry.example.com", "auth.example.com",
            "/certs/bundle.pem", "/certs/jwks.json"), configuration.Auth);
    }

    [Fact]
    public void Load_TokenFromEnvironment_Binds()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_AUTH", "token"), ("REGISTRY_AUTH_TOKEN_REALM", "https://a/token"),
            ("REGISTRY_AUTH_TOKEN_SERVICE", "s"), ("REGISTRY_AUTH_TOKEN_ISSUER", "i"), ("REGISTRY_AUTH_TOKEN_JWKS", "/k.json"));

        Assert.Equal(new TokenAuthSettings("https://a/token", "s", "i", null, "/k.json"), configuration.Auth);
    }

    [Theory]
    [InlineData("htpasswd:\n    path: /auth/htpasswd\n", "auth.htpasswd.realm")]
    [InlineData("htpasswd:\n    realm: r\n", "auth.htpasswd.path")]
    [InlineData("htpasswd:\n    realm: r\n    path: ''\n", "auth.htpasswd.path")]
    [InlineData("token:\n    service: s\n    issuer: i\n    rootcertbundle: /b\n", "auth.token.realm")]
    [InlineData("token:\n    realm: r\n    issuer: i\n    rootcertbundle: /b\n", "auth.token.service")]
    [InlineData("token:\n    realm: r\n    service: s\n    rootcertbundle: /b\n", "auth.token.issuer")]
    [InlineData("token:\n    realm: r\n    service: s\n    issuer: i\n", "auth.token.rootcertbundle")]
    public void Load_MissingRequiredKey_NamesIt(string yaml, string key)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nauth:\n  " + yaml);

        Assert.Equal(key, error.Key);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HtpasswdSelectedWithoutItsKeys_NamesTheRealm()
    {
        Assert.Equal("auth.htpasswd.realm", ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_AUTH", "htpasswd")).Key);
    }

    [Fact]
    public void Load_TwoKinds_IsAnError()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nauth:\n  htpasswd:\n    realm: r\n    path: /p\n",
            ("REGISTRY_AUTH_TOKEN_REALM", "https://a/token"));

        Assert.Equal("auth", error.Key);
        Assert.Contains("htpasswd, token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("silly:\n    realm: r\n    service: s\n", "auth.silly")]
    [InlineData("ldap:\n    url: ldap://x\n", "auth.ldap")]
    public void Load_UnsupportedKind_IsRefusedNamingIt(string yaml, string key)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nauth:\n  " + yaml);

        Assert.Equal(key, error.Key);
        Assert.Contains("htpasswd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SillyFromEnvironment_IsRefused()
    {
        Assert.Equal("auth.silly", ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_AUTH", "silly")).Key);
    }

    [Fact]
    public void Load_UnknownHtpasswdKey_IsAWarning()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nauth:\n  htpasswd:\n    realm: r\n    path: /p\n    colour: blue\n");

        Assert.Equal(["auth.htpasswd.colour: unknown key; ignored"], warnings);
    }
}
