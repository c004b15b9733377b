using Berth.Core.Errors;
using Berth.Core.Immutability;
using Berth.Core.Patterns;

namespace Berth.Core.Tests.Immutability;

public sealed class ImmutableTagRulesTests
{
    private static readonly ImmutableTagRules Rules = new([
        Rule("storage.immutabletags.0", ["prod/**"], ["v*", "release-*"]),
        Rule("storage.immutabletags.1", ["*"], ["stable"]),
    ]);

    [Fact]
    public void None_IsEmptyAndFindsNothing()
    {
        Assert.True(ImmutableTagRules.None.IsEmpty);
        Assert.False(ImmutableTagRules.None.AnyFor(RepositoryName.Parse("prod/app")));
        Assert.Null(ImmutableTagRules.None.Find(RepositoryName.Parse("prod/app"), Tag.Parse("v1")));
    }

    [Theory]
    [InlineData("prod/app", "v1", "storage.immutabletags.0")]
    [InlineData("prod/team/app", "release-3", "storage.immutabletags.0")]
    [InlineData("prod/app", "latest", null)]
    [InlineData("prod", "v1", null)]
    [InlineData("dev/app", "v1", null)]
    [InlineData("tools", "stable", "storage.immutabletags.1")]
    [InlineData("tools/sub", "stable", null)]
    public void Find_RepositoryAndTag_ReturnsTheFirstMatchingRule(string repository, string tag, string? key)
    {
        Assert.Equal(key, Rules.Find(RepositoryName.Parse(repository), Tag.Parse(tag))?.Key);
    }

    [Theory]
    [InlineData("prod/app", true)]
    [InlineData("tools", true)]
    [InlineData("dev/app", false)]
    public void AnyFor_Repository_TellsWhetherARuleCoversIt(string repository, bool expected)
    {
        Assert.Equal(expected, Rules.AnyFor(RepositoryName.Parse(repository)));
    }

    [Fact]
    public void MoveRefused_Is409DeniedNamingTheRuleAndBothDigests()
    {
        var rule = Rules.Rules[0];
        var current = Digest.Compute("a"u8);
        var pushed = Digest.Compute("b"u8);

        var refusal = ImmutableTagRules.MoveRefused(rule, RepositoryName.Parse("prod/app"), Tag.Parse("v1"), current, pushed);

        Assert.Equal(RegistryErrorCode.Denied, refusal.Code);
        Assert.Equal(409, refusal.Status);
        Assert.Contains("prod/app:v1", refusal.Detail, StringComparison.Ordinal);
        Assert.Contains("storage.immutabletags.0 (repositories: prod/**; tags: v*, release-*)", refusal.Detail, StringComparison.Ordinal);
        Assert.Contains(current.ToString(), refusal.Detail, StringComparison.Ordinal);
        Assert.Contains(pushed.ToString(), refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteRefused_ByDigest_NamesTheDigestAndTheTag()
    {
        var digest = Digest.Compute("a"u8);

        var refusal = ImmutableTagRules.DeleteRefused(Rules.Rules[1], RepositoryName.Parse("tools"), Tag.Parse("stable"), digest);

        Assert.Equal(409, refusal.Status);
        Assert.Contains($"{digest} is tagged tools:stable", refusal.Detail, StringComparison.Ordinal);
    }

    private static ImmutableTagRule Rule(string key, string[] repositories, string[] tags) =>
        new(key,
            [.. repositories.Select(p => RepositoryGlob.TryParse(p, out var glob, out _) ? glob! : throw new ArgumentException(p))],
            [.. tags.Select(p => TagGlob.TryParse(p, out var glob, out _) ? glob! : throw new ArgumentException(p))]);
}
