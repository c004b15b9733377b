using Berth.Core;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class ImmutableTagsConfigurationTests
{
    private const string Rules = """

          immutabletags:
            - repositories: ["prod/**"]
              tags: ["v*", "release-*"]
            - repositories: [tools]
              tags: stable
        """;

    [Fact]
    public void Load_NoKey_NoRules()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal);

        Assert.Empty(warnings);
        Assert.True(configuration.Storage.ImmutableTags.IsEmpty);
    }

    [Fact]
    public void Load_Rules_BindsEachWithItsKey()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Rules);

        Assert.Empty(warnings);
        var rules = configuration.Storage.ImmutableTags;
        Assert.Equal("storage.immutabletags.0", rules.Find(RepositoryName.Parse("prod/app"), Tag.Parse("release-1"))?.Key);
        Assert.Equal("storage.immutabletags.1", rules.Find(RepositoryName.Parse("tools"), Tag.Parse("stable"))?.Key);
        Assert.Null(rules.Find(RepositoryName.Parse("prod/app"), Tag.Parse("latest")));
    }

    [Fact]
    public void Load_WholeListFromEnvironment_Binds()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_STORAGE_IMMUTABLETAGS", """[{repositories: ["prod/**"], tags: ["v*"]}]"""));

        Assert.NotNull(configuration.Storage.ImmutableTags.Find(RepositoryName.Parse("prod/app"), Tag.Parse("v2")));
    }

    [Fact]
    public void Load_EnvironmentReachesIntoTheFilesRule()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + Rules, ("REGISTRY_STORAGE_IMMUTABLETAGS_1_TAGS", "[lts-*]"));

        var rules = configuration.Storage.ImmutableTags;
        Assert.NotNull(rules.Find(RepositoryName.Parse("tools"), Tag.Parse("lts-24")));
        Assert.Null(rules.Find(RepositoryName.Parse("tools"), Tag.Parse("stable")));
    }

    [Theory]
    [InlineData("- tags: [v*]", "storage.immutabletags.0.repositories: missing")]
    [InlineData("- repositories: [prod/**]", "storage.immutabletags.0.tags: missing")]
    [InlineData("- {repositories: [Prod/**], tags: [v*]}", "storage.immutabletags.0.repositories")]
    [InlineData("- {repositories: [prod/**], tags: [\"v[0-9]\"]}", "is not a tag pattern")]
    [InlineData("{repositories: [prod/**], tags: [v*]}", "storage.immutabletags: expected a list")]
    public void Load_BadRule_ErrorNamesTheKey(string rule, string expected)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\n  immutabletags:\n    " + rule);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyInRule_Warns()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + "\n  immutabletags:\n    - {repositories: [a], tags: [v*], exclude: [x]}");

        Assert.Contains(warnings, w => w.StartsWith("storage.immutabletags.0.exclude: unknown key", StringComparison.Ordinal));
    }
}
