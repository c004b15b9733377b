using Berth.Core;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class RetentionConfigurationTests
{
    private const string Policies = """

          retention:
            dryrun: true
            policies:
              - repositories: ["ci/**", tmp]
                deletereferrers: true
                keeptags:
                  - patterns: ["^v[0-9]", "-prod$"]
                    mostrecentlypushedcount: 10
                    mostrecentlypulledcount: 5
                    pushedwithin: 720h
                    pulledwithin: 30d
                  - patterns: [main]
              - repositories: ["**"]
                deleteuntagged: false
        """;

    [Fact]
    public void Load_NoKey_RetentionIsOff()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal);

        Assert.Empty(warnings);
        Assert.True(configuration.Storage.Retention.IsEmpty);
        Assert.False(configuration.Storage.Retention.DryRun);
    }

    [Fact]
    public void Load_Policies_BindsEveryKeyWithItsPath()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Policies);

        Assert.Empty(warnings);
        var retention = configuration.Storage.Retention;
        Assert.True(retention.DryRun);
        var ci = retention.Find(RepositoryName.Parse("ci/app"))!;
        Assert.Equal("storage.retention.policies.0", ci.Key);
        Assert.True(ci.DeleteUntagged);
        Assert.True(ci.DeleteReferrers);
        var first = ci.KeepTags[0];
        Assert.Equal("storage.retention.policies.0.keeptags.0", first.Key);
        Assert.Equal(["^v[0-9]", "-prod$"], first.Patterns.Select(pattern => pattern.Pattern));
        Assert.Equal(10, first.MostRecentlyPushedCount);
        Assert.Equal(5, first.MostRecentlyPulledCount);
        Assert.Equal(TimeSpan.FromHours(720), first.PushedWithin);
        Assert.Equal(TimeSpan.FromDays(30), first.PulledWithin);
        Assert.False(ci.KeepTags[1].HasCriteria);
        Assert.Equal("storage.retention.policies.0", retention.Find(RepositoryName.Parse("tmp"))!.Key);
        var rest = retention.Find(RepositoryName.Parse("prod/app"))!;
        Assert.False(rest.DeleteUntagged);
        Assert.False(rest.DeleteReferrers);
        Assert.Empty(rest.KeepTags);
    }

    [Theory]
    [InlineData("1d12h", 36)]
    [InlineData("90m", 1.5)]
    [InlineData("7d", 168)]
    public void Load_Durations_GoSyntaxOrDays(string written, double hours)
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + $$"""

              retention:
                policies:
                  - {repositories: ["**"], keeptags: [{pushedwithin: {{written}}}]}
            """);

        Assert.Equal(TimeSpan.FromHours(hours), configuration.Storage.Retention.Policies[0].KeepTags[0].PushedWithin);
    }

    [Fact]
    public void Load_WholeListFromEnvironment_Binds()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_STORAGE_RETENTION_POLICIES", """[{repositories: ["**"], keeptags: [{mostrecentlypushedcount: 3}]}]"""),
            ("REGISTRY_STORAGE_RETENTION_DRYRUN", "true"));

        Assert.True(configuration.Storage.Retention.DryRun);
        Assert.Equal(3, configuration.Storage.Retention.Find(RepositoryName.Parse("app"))!.KeepTags[0].MostRecentlyPushedCount);
    }

    [Fact]
    public void Load_EnvironmentReachesIntoTheFilesPolicy()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + Policies,
            ("REGISTRY_STORAGE_RETENTION_POLICIES_0_KEEPTAGS_0_MOSTRECENTLYPUSHEDCOUNT", "2"));

        Assert.Equal(2, configuration.Storage.Retention.Policies[0].KeepTags[0].MostRecentlyPushedCount);
    }

    [Theory]
    [InlineData("- keeptags: [{mostrecentlypushedcount: 1}]", "storage.retention.policies.0.repositories: missing")]
    [InlineData("- {repositories: [CI/**]}", "storage.retention.policies.0.repositories")]
    [InlineData("- {repositories: [\"**\"], keeptags: [{patterns: [\"v(\"]}]}", "storage.retention.policies.0.keeptags.0.patterns: 'v(' is not a regular expression")]
    [InlineData("- {repositories: [\"**\"], keeptags: [{patterns: [\"(?<=v)1\"]}]}", "storage.retention.policies.0.keeptags.0.patterns")]
    [InlineData("- {repositories: [\"**\"], keeptags: [{mostrecentlypushedcount: 0}]}", "storage.retention.policies.0.keeptags.0.mostrecentlypushedcount: expected a whole number of at least 1")]
    [InlineData("- {repositories: [\"**\"], keeptags: [{pulledwithin: soon}]}", "storage.retention.policies.0.keeptags.0.pulledwithin: expected a duration")]
    [InlineData("- {repositories: [\"**\"], keeptags: [{pushedwithin: 0d}]}", "storage.retention.policies.0.keeptags.0.pushedwithin: expected a duration above zero")]
    [InlineData("- {repositories: [\"**\"], deleteuntagged: maybe}", "storage.retention.policies.0.deleteuntagged: expected true or false")]
    [InlineData("- {repositories: [\"**\"], keepTags: [{patterns: [\".*\"]}]}", "storage.retention.policies.0.keepTags: write 'keeptags'")]
    [InlineData("- {repositories: [\"**\"], keeptags: [{mostRecentlyPushedCount: 3}]}", "write 'mostrecentlypushedcount'")]
    [InlineData("- {repoNames: [\"**\"]}", "storage.retention.policies.0.repoNames: write 'repositories'")]
    [InlineData("{repositories: [\"**\"]}", "storage.retention.policies: expected a list")]
    public void Load_BadPolicy_ErrorNamesTheKey(string policy, string expected)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\n  retention:\n    policies:\n      " + policy);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ZotsDelayAndUnknownKeys_AreWarnedAbout()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + """

              retention:
                delay: 24h
                policies:
                  - {repositories: ["**"], colour: blue}
            """);

        Assert.Contains(warnings, warning => warning.StartsWith("storage.retention.delay: zot's delay has no effect", StringComparison.Ordinal));
        Assert.Contains("storage.retention.policies.0.colour: unknown key; ignored", warnings);
    }
}
