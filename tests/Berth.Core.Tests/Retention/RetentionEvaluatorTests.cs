using Berth.Core.Patterns;
using Berth.Core.Retention;
using Berth.TestKit;

namespace Berth.Core.Tests.Retention;

/// <summary>The evaluator on a clock that stands still: every age below is measured from the same now.</summary>
public sealed class RetentionEvaluatorTests
{
    private readonly ManualTimers _time = new();

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void Evaluate_NoPolicyCoversTheRepository_KeepsEveryTag()
    {
        var policies = Policies(Policy(["prod/**"], KeepTags(pushedCount: 1)));

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("dev/app"), [Pushed("a", days: 9), Pushed("b", days: 8)]);

        Assert.Null(verdict.Policy);
        Assert.All(verdict.Tags, tag => Assert.Equal(RetentionReason.NoPolicy, tag.Reason));
        Assert.False(verdict.RemovesAny);
    }

    [Fact]
    public void Evaluate_FirstCoveringPolicyWins()
    {
        var policies = Policies(Policy(["team/*"], KeepTags(pushedCount: 1)), Policy(["**"]));

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("team/app"), [Pushed("old", days: 3), Pushed("new", days: 1)]);

        Assert.Equal("storage.retention.policies.0", verdict.Policy!.Key);
        Assert.Equal(["old"], Removed(verdict));
    }

    [Fact]
    public void Evaluate_PolicyWithoutKeepTags_KeepsEveryTag()
    {
        var verdict = Evaluator(Policies(Policy(["**"]))).Evaluate(RepositoryName.Parse("app"), [Pushed("a", days: 400)]);

        Assert.Equal(RetentionReason.NoKeepTags, Assert.Single(verdict.Tags).Reason);
    }

    [Fact]
    public void Evaluate_MostRecentlyPushedCount_KeepsTheNewestAndRemovesTheRest()
    {
        var policies = Policies(Policy(["**"], KeepTags(pushedCount: 2)));
        RetentionCandidate[] tags = [Pushed("v1", days: 4), Pushed("v2", days: 3), Pushed("v3", days: 2), Pushed("v4", days: 1)];

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("app"), tags);

        Assert.Equal(["v1", "v2"], Removed(verdict));
        var kept = verdict.Tags.Single(tag => tag.Tag.Value == "v4");
        Assert.Equal("kept: among the 2 most recently pushed", kept.Explain());
        Assert.Equal("removed: no rule keeps it", verdict.Tags[0].Explain());
    }

    [Fact]
    public void Evaluate_MostRecentlyPulledCount_RanksPulledTagsFirstThenNeverPulledByPush()
    {
        var policies = Policies(Policy(["**"], KeepTags(pulledCount: 2)));
        RetentionCandidate[] tags =
        [
            Pushed("pulled-long-ago", days: 9) with { PulledAt = Now.AddDays(-30) },
            Pushed("pulled-yesterday", days: 9) with { PulledAt = Now.AddDays(-1) },
            Pushed("never-new", days: 1),
            Pushed("never-old", days: 5),
        ];

        Assert.Equal(["never-new", "never-old"], Removed(Evaluator(policies).Evaluate(RepositoryName.Parse("app"), tags)));

        var three = Policies(Policy(["**"], KeepTags(pulledCount: 3)));
        var verdict = Evaluator(three).Evaluate(RepositoryName.Parse("app"), tags);
        Assert.Equal(["never-old"], Removed(verdict));
        Assert.Contains("never pulled", verdict.Tags.Single(tag => tag.Tag.Value == "never-new").Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PushedWithin_KeepsWhatIsNewerThanTheDuration()
    {
        var policies = Policies(Policy(["**"], KeepTags(pushedWithin: TimeSpan.FromDays(7))));

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("app"), [Pushed("fresh", days: 6), Pushed("stale", days: 8)]);

        Assert.Equal(["stale"], Removed(verdict));
        Assert.Equal("kept: pushed within 7d", verdict.Tags[0].Explain());
    }

    [Fact]
    public void Evaluate_PulledWithin_KeepsRecentPullsAndRecentPushesNeverPulled()
    {
        var policies = Policies(Policy(["**"], KeepTags(pulledWithin: TimeSpan.FromHours(72))));
        RetentionCandidate[] tags =
        [
            Pushed("pulled", days: 30) with { PulledAt = Now.AddHours(-1) },
            Pushed("pulled-long-ago", days: 30) with { PulledAt = Now.AddDays(-10) },
            Pushed("new-unpulled", days: 1),
            Pushed("old-unpulled", days: 30),
        ];

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("app"), tags);

        Assert.Equal(["pulled-long-ago", "old-unpulled"], Removed(verdict));
        Assert.Equal(RetentionReason.PulledWithin, verdict.Tags[0].Reason);
        Assert.Equal(RetentionReason.PushedWithinPulledWithin, verdict.Tags[2].Reason);
    }

    [Fact]
    public void Evaluate_TimeMovesOn_TheSameTagsAgeOutOfPushedWithin()
    {
        var policies = Policies(Policy(["**"], KeepTags(pushedWithin: TimeSpan.FromHours(24))));
        var evaluator = Evaluator(policies);
        RetentionCandidate[] tags = [new(Tag.Parse("v1"), Digest.Compute("v1"u8), Now.AddHours(-1), null)];

        Assert.False(evaluator.Evaluate(RepositoryName.Parse("app"), tags).RemovesAny);
        _time.Advance(TimeSpan.FromHours(24));
        Assert.True(evaluator.Evaluate(RepositoryName.Parse("app"), tags).RemovesAny);
    }

    [Fact]
    public void Evaluate_CriteriaAreOred_ATagAnyCriterionKeepsStays()
    {
        var policies = Policies(Policy(["**"], KeepTags(pushedCount: 1, pulledWithin: TimeSpan.FromDays(1))));
        RetentionCandidate[] tags =
        [
            Pushed("newest", days: 2),
            Pushed("pulled-today", days: 5) with { PulledAt = Now.AddHours(-2) },
            Pushed("neither", days: 6),
        ];

        Assert.Equal(["neither"], Removed(Evaluator(policies).Evaluate(RepositoryName.Parse("app"), tags)));
    }

    [Fact]
    public void Evaluate_PatternsWithoutCriteria_KeepEveryMatchingTagAndRemoveTheRest()
    {
        var policies = Policies(Policy(["**"], KeepTags(patterns: ["^v[0-9]+\\.", "-prod$"])));

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("app"),
            [Pushed("v1.0", days: 900), Pushed("app-prod", days: 900), Pushed("feature-x", days: 1)]);

        Assert.Equal(["feature-x"], Removed(verdict));
        Assert.Equal("removed: matches no keeptags patterns", verdict.Tags[2].Explain());
        Assert.Equal("kept: matches the patterns of a rule with no other criterion", verdict.Tags[0].Explain());
    }

    [Fact]
    public void Evaluate_CountsAreAmongTheTagsTheEntryMatches()
    {
        // Two release tags and three branch builds: each entry keeps its own newest one.
        var policies = Policies(Policy(["**"], KeepTags(patterns: ["^v"], pushedCount: 1), KeepTags(patterns: ["^main-"], pushedCount: 1)));
        RetentionCandidate[] tags =
        [
            Pushed("v1", days: 10), Pushed("v2", days: 9),
            Pushed("main-1", days: 3), Pushed("main-2", days: 2), Pushed("main-3", days: 1),
        ];

        Assert.Equal(["v1", "main-1", "main-2"], Removed(Evaluator(policies).Evaluate(RepositoryName.Parse("app"), tags)));
    }

    [Fact]
    public void Evaluate_TagMatchedByTwoEntries_IsKeptWhenEitherKeepsIt()
    {
        var policies = Policies(Policy(["**"], KeepTags(patterns: [".*"], pushedCount: 1), KeepTags(patterns: ["^release-"])));

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("app"),
            [Pushed("release-1", days: 50), Pushed("scratch", days: 40), Pushed("newest", days: 1)]);

        Assert.Equal(["scratch"], Removed(verdict));
        var release = verdict.Tags[0];
        Assert.Equal(RetentionReason.Patterns, release.Reason);
        Assert.Equal("storage.retention.policies.0.keeptags.1", release.Rule!.Key);
    }

    [Fact]
    public void Evaluate_ImmutableTag_IsKeptWhateverTheRulesSay()
    {
        var policies = Policies(Policy(["**"], KeepTags(pushedCount: 1)));
        RetentionCandidate[] tags = [Pushed("v1", days: 100) with { ImmutableBy = "storage.immutabletags.0" }, Pushed("v2", days: 1)];

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("app"), tags);

        Assert.False(verdict.RemovesAny);
        Assert.Equal("kept: immutable (storage.immutabletags.0)", verdict.Tags[0].Explain());
    }

    [Fact]
    public void Evaluate_RemovedTag_NamesTheFirstEntryWhosePatternsMatchedIt()
    {
        var policies = Policies(Policy(["**"], KeepTags(patterns: ["^x"]), KeepTags(patterns: ["^v"], pushedCount: 1)));

        var verdict = Evaluator(policies).Evaluate(RepositoryName.Parse("app"), [Pushed("v1", days: 2), Pushed("v2", days: 1)]);

        var removed = Assert.Single(verdict.Removed);
        Assert.Equal("storage.retention.policies.0.keeptags.1", removed.Rule!.Key);
    }

    private RetentionEvaluator Evaluator(RetentionPolicies policies) => new(policies, _time);

    private RetentionCandidate Pushed(string tag, double days) =>
        new(Tag.Parse(tag), Digest.Compute(System.Text.Encoding.UTF8.GetBytes(tag)), Now.AddDays(-days), PulledAt: null);

    private static List<string> Removed(RepositoryVerdict verdict) => [.. verdict.Removed.Select(tag => tag.Tag.Value)];

    private static RetentionPolicies Policies(params RetentionPolicy[] policies) =>
        new(policies.Select((policy, i) => policy with
        {
            Key = $"storage.retention.policies.{i}",
            KeepTags = [.. policy.KeepTags.Select((rule, j) => rule with { Key = $"storage.retention.policies.{i}.keeptags.{j}" })],
        }), dryRun: false);

    private static RetentionPolicy Policy(string[] repositories, params KeepTagsRule[] keepTags) =>
        new("", [.. repositories.Select(pattern => RepositoryGlob.TryParse(pattern, out var glob, out _) ? glob! : throw new ArgumentException(pattern))],
            DeleteUntagged: true, DeleteReferrers: false, keepTags);

    private static KeepTagsRule KeepTags(string[]? patterns = null, int? pushedCount = null, int? pulledCount = null, TimeSpan? pushedWithin = null,
        TimeSpan? pulledWithin = null) =>
        new("", [.. (patterns ?? []).Select(pattern => TagPattern.TryParse(pattern, out var parsed, out _) ? parsed! : throw new ArgumentException(pattern))],
            pushedCount, pulledCount, pushedWithin, pulledWithin);
}
