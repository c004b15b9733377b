using Xunit;

namespace Berth.Tests.Configuration;

/// <summary>registry:3's <c>auth: none</c>: an explicit "no authentication", the same as no auth section.</summary>
public sealed class AuthNoneConfigurationTests
{
    private const string Htpasswd = "\nauth:\n  htpasswd:\n    realm: r\n    path: /auth/htpasswd\n";
    private const string Access = "\naccess:\n  rules:\n    - repositories: [\"public/**\"]\n      actions: [pull]\n      anonymous: true\n";

    [Theory]
    [InlineData("auth: none")]
    [InlineData("auth:\n  none: {}")]
    [InlineData("auth:\n  none:")]
    [InlineData("auth: None")]
    [InlineData("auth:\n  NONE: {}")]
    public void Load_AuthNone_NoAuthAndNoWarning(string yaml)
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n" + yaml + "\n");

        Assert.Null(configuration.Auth);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public void Load_AuthVariableNone_ReplacesTheFilesKind(string value)
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Htpasswd, ("REGISTRY_AUTH", value));

        Assert.Null(configuration.Auth);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_AuthNoneWithParameters_IgnoredWithAWarningEach()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nauth:\n  none:\n    realm: r\n    path: /p\n");

        Assert.Null(configuration.Auth);
        Assert.Equal(
            ["auth.none.realm: ignored: auth none means no authentication and takes no parameters",
             "auth.none.path: ignored: auth none means no authentication and takes no parameters"],
            warnings);
    }

    [Fact]
    public void Load_AccessWithAuthNone_WarnsAsWithoutAuth()
    {
        var (withNone, noneWarnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nauth: none\n" + Access);
        var (_, plainWarnings) = ConfigYaml.Load(ConfigYaml.Minimal + Access);

        Assert.Null(withNone.Auth);
        Assert.NotNull(withNone.Access);
        Assert.Equal(plainWarnings, noneWarnings);
        Assert.StartsWith("access: no auth method is configured", Assert.Single(noneWarnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoneBesideAnotherKind_IsTwoKinds()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + Htpasswd + "  none: {}\n");

        Assert.Equal("auth", error.Key);
    }
}
