using Berth.Auth;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class AccessConfigurationTests
{
    private const string Htpasswd = "\nauth:\n  htpasswd:\n    realm: r\n    path: /auth/htpasswd\n";

    /// <summary>The example of docs/configuration.md.</summary>
    private const string Documented = """

        access:
          groups:
            team-a: [alice, bob]
            admins: [carol]
          rules:
            - repositories: ["public/**"]
              anonymous: true
              actions: [pull]
            - repositories: ["**"]
              users: ["*"]
              actions: [pull]
            - repositories: ["team-a/**"]
              groups: [team-a]
              actions: [pull, push]
            - repositories: ["**"]
              groups: [admins]
              actions: ["*"]
        """;

    [Fact]
    public void Load_NoAccess_IsNull()
    {
        Assert.Null(ConfigYaml.Bind(ConfigYaml.Minimal + Htpasswd).Access);
    }

    [Fact]
    public void Load_DocumentedExample_BindsGroupsAndRules()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Htpasswd + Documented);

        var access = configuration.Access;
        Assert.NotNull(access);
        Assert.Empty(warnings);
        Assert.Equal(["alice", "bob"], access.Groups["team-a"]);
        Assert.Equal(["carol"], access.Groups["admins"]);
        Assert.Equal(4, access.Rules.Count);
        AssertRule(access.Rules[0], ["public/**"], [RegistryAction.Pull], [], [], anonymous: true);
        AssertRule(access.Rules[1], ["**"], [RegistryAction.Pull], ["*"], [], anonymous: false);
        AssertRule(access.Rules[2], ["team-a/**"], [RegistryAction.Pull, RegistryAction.Push], [], ["team-a"], anonymous: false);
        AssertRule(access.Rules[3], ["**"], [RegistryAction.Pull, RegistryAction.Push, RegistryAction.Delete], [], ["admins"], anonymous: false);
    }

    [Fact]
    public void Load_RuleFromEnvironment_ReachesIntoTheList()
    {
        var configuration = ConfigYaml.Bind(ConfigYaml.Minimal + Htpasswd + Documented,
            ("REGISTRY_ACCESS_RULES_0_ACTIONS", "[pull, push]"));

        Assert.Equal([RegistryAction.Pull, RegistryAction.Push], configuration.Access!.Rules[0].Actions);
    }

    [Fact]
    public void Load_AccessWithoutAuth_WarnsThatOnlyAnonymousRulesApply()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Documented);

        Assert.StartsWith("access: no auth method is configured", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  groups:\n    a: [x]\n", "access.rules", "missing")]
    [InlineData("  rules:\n    - actions: [pull]\n      users: [x]\n", "access.rules.0.repositories", "missing")]
    [InlineData("  rules:\n    - repositories: [\"Team/**\"]\n      actions: [pull]\n      users: [x]\n", "access.rules.0.repositories", "'Team/**'")]
    [InlineData("  rules:\n    - repositories: [\"a//b\"]\n      actions: [pull]\n      users: [x]\n", "access.rules.0.repositories", "'a//b'")]
    [InlineData("  rules:\n    - repositories: [a]\n      users: [x]\n", "access.rules.0.actions", "missing")]
    [InlineData("  rules:\n    - repositories: [a]\n      actions: [pull, write]\n      users: [x]\n", "access.rules.0.actions", "'write'")]
    [InlineData("  rules:\n    - repositories: [a]\n      actions: [\"1\"]\n      users: [x]\n", "access.rules.0.actions", "'1'")]
    [InlineData("  rules:\n    - repositories: [a]\n      actions: [pull]\n", "access.rules.0", "grants nobody")]
    [InlineData("  rules:\n    - repositories: [a]\n      actions: [pull]\n      groups: [ghosts]\n", "access.rules.0.groups", "unknown group 'ghosts'")]
    [InlineData("  rules:\n    - repositories: [a]\n      actions: [pull]\n      anonymous: maybe\n", "access.rules.0.anonymous", "true or false")]
    [InlineData("  rules:\n    - repositories: [a]\n      actions: [pull]\n      users: [\"a:b\"]\n", "access.rules.0.users", "'a:b'")]
    [InlineData("  rules: pull\n", "access.rules", "expected a list")]
    [InlineData("  groups:\n    a: {x: y}\n  rules: []\n", "access.groups.a", "list of text")]
    public void Load_BadAccess_NamesTheKey(string yaml, string key, string message)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + Htpasswd + "access:\n" + yaml);

        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyRuleList_DeniesEverythingWithoutError()
    {
        var access = ConfigYaml.Bind(ConfigYaml.Minimal + Htpasswd + "access:\n  rules: []\n").Access;

        Assert.NotNull(access);
        Assert.Empty(access.Rules);
    }

    [Fact]
    public void Load_UnknownRuleKey_IsAWarning()
    {
        var (_, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Htpasswd
            + "access:\n  rules:\n    - repositories: [a]\n      actions: [pull]\n      users: [x]\n      tags: [latest]\n");

        Assert.Equal(["access.rules.0.tags: unknown key; ignored"], warnings);
    }

    private static void AssertRule(AccessRule rule, string[] repositories, RegistryAction[] actions, string[] users, string[] groups, bool anonymous)
    {
        Assert.Equal(repositories, rule.Repositories);
        Assert.Equal(actions, rule.Actions);
        Assert.Equal(users, rule.Users);
        Assert.Equal(groups, rule.Groups);
        Assert.Equal(anonymous, rule.Anonymous);
    }
}
