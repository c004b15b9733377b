using Berth.Core.Retention;

namespace Berth.Core.Tests.Retention;

public sealed class TagPatternTests
{
    [Theory]
    [InlineData("v2.*", "v2.1", true)]
    [InlineData("v2.*", "rc-v2", true)]
    [InlineData("^v2\\.", "rc-v2.1", false)]
    [InlineData("^v2\\.", "v2.1", true)]
    [InlineData(".*-prod", "app-prod", true)]
    [InlineData(".*-prod", "app-dev", false)]
    [InlineData("^latest$", "latest-1", false)]
    public void IsMatch_MatchesAnywhereInTheTag_AsZotDoes(string pattern, string tag, bool expected)
    {
        Assert.True(TagPattern.TryParse(pattern, out var parsed, out _));

        Assert.Equal(expected, parsed!.IsMatch(Tag.Parse(tag)));
    }

    [Theory]
    [InlineData("v(")]
    [InlineData("(?<=v)1")]
    [InlineData("(a)\\1")]
    [InlineData("")]
    public void TryParse_InvalidOrBacktrackingOnly_FailsWithAReason(string pattern)
    {
        Assert.False(TagPattern.TryParse(pattern, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.NotEmpty(error);
    }
}
