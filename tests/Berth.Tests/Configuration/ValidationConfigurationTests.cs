using Berth.Core.Manifests;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class ValidationConfigurationTests
{
    private const string Urls = """

        validation:
          manifests:
            urls:
              allow:
                - ^https?://([^/]+\.)*example\.com/
              deny:
                - ^https?://www\.example\.com/
        """;

    [Fact]
    public void Load_NoValidationSection_RefusesLayerUrlsAndChecksEveryIndexEntry()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal);

        Assert.Empty(warnings);
        Assert.NotNull(configuration.Validation.Urls.Refusal("https://layers.example.com/a.tar"));
        Assert.Same(IndexChildPolicy.All, configuration.Validation.IndexChildren);
    }

    [Fact]
    public void Load_UrlLists_AllowAndDenyApply()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Urls);

        Assert.Empty(warnings);
        Assert.Null(configuration.Validation.Urls.Refusal("https://layers.example.com/a.tar"));
        Assert.NotNull(configuration.Validation.Urls.Refusal("https://www.example.com/a.tar"));
        Assert.NotNull(configuration.Validation.Urls.Refusal("https://example.org/a.tar"));
    }

    [Fact]
    public void Load_UrlAllowFromEnvironment_Applies()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_VALIDATION_MANIFESTS_URLS_ALLOW", @"^https://mcr\.microsoft\.com/"),
            ("REGISTRY_VALIDATION_MANIFESTS_URLS_DENY", "[/private/, /secret/]"));

        Assert.Null(configuration.Validation.Urls.Refusal("https://mcr.microsoft.com/layer"));
        Assert.NotNull(configuration.Validation.Urls.Refusal("https://mcr.microsoft.com/secret/layer"));
        Assert.NotNull(configuration.Validation.Urls.Refusal("https://example.com/layer"));
    }

    [Fact]
    public void Load_EnvironmentReachesIntoTheFilesAllowList()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + Urls, ("REGISTRY_VALIDATION_MANIFESTS_URLS_ALLOW_1", "^https://other\\.test/"));

        Assert.Null(configuration.Validation.Urls.Refusal("https://other.test/layer"));
        Assert.Null(configuration.Validation.Urls.Refusal("https://layers.example.com/layer"));
    }

    [Theory]
    [InlineData("allow", "(unclosed")]
    [InlineData("deny", @"(a)\1")] // a backreference: not RE2, and not matchable without backtracking
    [InlineData("allow", "(?P<host>[a-z]+)")] // Go-only group syntax: refused rather than read differently
    public void Load_BadPattern_FailsNamingTheListItem(string list, string pattern)
    {
        var yaml = ConfigYaml.Minimal + $"\nvalidation:\n  manifests:\n    urls:\n      {list}:\n        - ^https://ok/\n        - '{pattern}'\n";

        var error = ConfigYaml.Error(yaml);

        Assert.Equal($"validation.manifests.urls.{list}.1", error.Key);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public void Load_PlatformsNone_NoIndexEntryMustExist(string value)
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + $"\nvalidation:\n  manifests:\n    indexes:\n      platforms: {value}\n");

        Assert.True(configuration.Validation.IndexChildren.IsNone);
    }

    [Fact]
    public void Load_PlatformsFromEnvironment_Applies()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_VALIDATION_MANIFESTS_INDEXES_PLATFORMS", "none"));

        Assert.True(configuration.Validation.IndexChildren.IsNone);
    }

    [Fact]
    public void Load_PlatformList_ChecksOnlyListedPlatforms()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_VALIDATION_MANIFESTS_INDEXES_PLATFORMS", "list"),
            ("REGISTRY_VALIDATION_MANIFESTS_INDEXES_PLATFORMLIST", "[{os: linux, architecture: amd64}]"));

        var policy = configuration.Validation.IndexChildren;
        Assert.Equal([new Platform("linux", "amd64")], policy.Platforms);
        Assert.True(policy.MustExist(Child(new Platform("linux", "amd64"))));
        Assert.False(policy.MustExist(Child(new Platform("linux", "arm64"))));
        Assert.False(policy.MustExist(Child(null)));
    }

    [Fact]
    public void Load_BadPlatformsValue_FailsNamingTheKey()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, ("REGISTRY_VALIDATION_MANIFESTS_INDEXES_PLATFORMS", "some"));

        Assert.Equal("validation.manifests.indexes.platforms", error.Key);
    }

    [Fact]
    public void Load_PlatformWithoutArchitecture_FailsNamingTheEntry()
    {
        var yaml = ConfigYaml.Minimal + "\nvalidation:\n  manifests:\n    indexes:\n      platforms: list\n      platformlist:\n        - os: linux\n";

        Assert.Equal("validation.manifests.indexes.platformlist.0", ConfigYaml.Error(yaml).Key);
    }

    [Fact]
    public void Load_Disabled_AcceptsAnyHttpUrlAndSparseIndexes()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Urls, ("REGISTRY_VALIDATION_DISABLED", "true"));

        Assert.Null(configuration.Validation.Urls.Refusal("https://www.example.com/a.tar"));
        Assert.NotNull(configuration.Validation.Urls.Refusal("ftp://example.com/a.tar"));
        Assert.True(configuration.Validation.IndexChildren.IsNone);
        Assert.StartsWith("validation.manifests: ignored", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OldEnabledTrue_OverridesDisabled()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + "\nvalidation:\n  enabled: true\n  disabled: true\n");

        Assert.Same(ManifestValidationOptions.Default.Urls, configuration.Validation.Urls);
        Assert.Same(IndexChildPolicy.All, configuration.Validation.IndexChildren);
    }

    [Fact]
    public void Load_OldEnabledFalseAlone_KeepsValidationOnWithAWarning()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\nvalidation:\n  enabled: false\n");

        Assert.Same(IndexChildPolicy.All, configuration.Validation.IndexChildren);
        Assert.StartsWith("validation.enabled:", Assert.Single(warnings), StringComparison.Ordinal);
    }

    private static Descriptor Child(Platform? platform) =>
        new(MediaTypes.OciManifest, Berth.Core.Digest.Compute("x"u8), 1, Platform: platform);
}
