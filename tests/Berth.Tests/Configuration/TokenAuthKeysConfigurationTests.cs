using Berth.Auth;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary>registry:3's <c>auth.token</c> keys: <c>autoredirect</c>, <c>autoredirectpath</c>, <c>signingalgorithms</c>.</summary>
public sealed class TokenAuthKeysConfigurationTests
{
    private const string Token = "\nauth:\n  token:\n    realm: https://auth.example.com/token\n    service: registry\n    issuer: auth\n    rootcertbundle: /certs/bundle.pem\n";

    private static readonly (string, string)[] TokenVariables =
    [
        ("REGISTRY_AUTH", "token"), ("REGISTRY_AUTH_TOKEN_REALM", "https://a/token"), ("REGISTRY_AUTH_TOKEN_SERVICE", "s"),
        ("REGISTRY_AUTH_TOKEN_ISSUER", "i"), ("REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", "/b.pem"),
    ];

    private static TokenAuthSettings Bind(string keys, params (string, string)[] environment) =>
        Assert.IsType<TokenAuthSettings>(ConfigYaml.Bind(ConfigYaml.Minimal + Token + keys, environment).Auth);

    [Fact]
    public void Load_NoNewKeys_DefaultAlgorithmsAndNoAutoRedirect()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Token);

        var token = Assert.IsType<TokenAuthSettings>(configuration.Auth);
        Assert.Null(token.SigningAlgorithms);
        Assert.Null(token.AutoRedirectPath);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_EveryKeyFromTheFile_Binds()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Token
            + "    autoredirect: true\n    autoredirectpath: /token\n    signingalgorithms:\n      - ES256\n      - PS256\n");

        var token = Assert.IsType<TokenAuthSettings>(configuration.Auth);
        Assert.Equal("/token", token.AutoRedirectPath);
        Assert.Equal(["ES256", "PS256"], token.SigningAlgorithms);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_EveryKeyFromEnvironment_Binds()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal,
            [.. TokenVariables, ("REGISTRY_AUTH_TOKEN_AUTOREDIRECT", "true"), ("REGISTRY_AUTH_TOKEN_AUTOREDIRECTPATH", "/v2/token"),
             ("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[RS256, ES384]")]);

        var token = Assert.IsType<TokenAuthSettings>(configuration.Auth);
        Assert.Equal("/v2/token", token.AutoRedirectPath);
        Assert.Equal(["RS256", "ES384"], token.SigningAlgorithms);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_AutoRedirectWithoutPath_UsesRegistry3sDefault()
    {
        Assert.Equal("/auth/token", Bind("    autoredirect: true\n").AutoRedirectPath);
        Assert.Equal("/auth/token", Bind("", ("REGISTRY_AUTH_TOKEN_AUTOREDIRECT", "true")).AutoRedirectPath);
    }

    [Fact]
    public void Load_PathWithoutLeadingSlash_GetsOne() =>
        Assert.Equal("/auth/token", Bind("    autoredirect: true\n    autoredirectpath: auth/token\n").AutoRedirectPath);

    [Fact]
    public void Load_AutoRedirectFalse_IsOff() =>
        Assert.Null(Bind("    autoredirect: false\n").AutoRedirectPath);

    [Fact]
    public void Load_PathWithoutAutoRedirect_IsIgnoredWithAWarning()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Token + "    autoredirectpath: /token\n");

        Assert.Null(Assert.IsType<TokenAuthSettings>(configuration.Auth).AutoRedirectPath);
        Assert.Equal(["auth.token.autoredirectpath: has no effect while auth.token.autoredirect is off; ignored"], warnings);
    }

    [Theory]
    [InlineData("    autoredirect: sometimes\n", "auth.token.autoredirect", "expected true or false")]
    [InlineData("    autoredirect: true\n    autoredirectpath: /token?x=1\n", "auth.token.autoredirectpath", "expected a URL path")]
    [InlineData("    autoredirect: true\n    autoredirectpath: /my token\n", "auth.token.autoredirectpath", "expected a URL path")]
    [InlineData("    signingalgorithms: [RS256, XX256]\n", "auth.token.signingalgorithms.1", "unknown algorithm 'XX256'")]
    [InlineData("    signingalgorithms: [es256]\n", "auth.token.signingalgorithms.0", "did you mean 'ES256'")]
    [InlineData("    signingalgorithms: [HS256]\n", "auth.token.signingalgorithms", "no token could be accepted")]
    public void Load_BadValue_NamesTheKey(string keys, string key, string reason)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + Token + keys);

        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Registry3SampleAlgorithms_StartsWithAWarningForWhatBerthCannotVerify()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Token + "    signingalgorithms: [EdDSA, HS256, RS256]\n");

        Assert.Equal(["EdDSA", "HS256", "RS256"], Assert.IsType<TokenAuthSettings>(configuration.Auth).SigningAlgorithms);
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, warning => Assert.StartsWith("auth.token.signingalgorithms: '", warning, StringComparison.Ordinal));
        Assert.Contains(warnings, warning => warning.Contains("Ed25519", StringComparison.Ordinal));
        Assert.Contains(warnings, warning => warning.Contains("HMAC", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("REGISTRY_AUTH_TOKEN_AUTOREDIRECT", "maybe", "auth.token.autoredirect")]
    [InlineData("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[ES256, XX256]", "auth.token.signingalgorithms.1")]
    public void Load_BadValueFromEnvironment_NamesTheKey(string variable, string value, string key) =>
        Assert.Equal(key, ConfigYaml.Error(ConfigYaml.Minimal, [.. TokenVariables, (variable, value)]).Key);

    [Fact]
    public void Load_BadAlgorithm_MessageNamesTheKeyAndTheName() =>
        Assert.StartsWith("auth.token.signingalgorithms.1: unknown algorithm 'XX256'",
            ConfigYaml.Error(ConfigYaml.Minimal + Token + "    signingalgorithms: [RS256, XX256]\n").Message, StringComparison.Ordinal);
}
