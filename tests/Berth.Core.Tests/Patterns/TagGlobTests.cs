using Berth.Core.Patterns;

namespace Berth.Core.Tests.Patterns;

public sealed class TagGlobTests
{
    [Theory]
    [InlineData("v*", "v1.2.3", true)]
    [InlineData("v*", "v", true)]
    [InlineData("v*", "V1", false)]
    [InlineData("v*", "latest", false)]
    [InlineData("release-*", "release-2026.12", true)]
    [InlineData("release-*", "prerelease-1", false)]
    [InlineData("*-rc*", "1.0-rc2", true)]
    [InlineData("*-rc*", "1.0", false)]
    [InlineData("*", "anything_at-all.1", true)]
    [InlineData("**", "anything", true)]
    [InlineData("latest", "latest", true)]
    [InlineData("latest", "latest2", false)]
    [InlineData("1.0", "1x0", false)]
    [InlineData("1.*", "1.25", true)]
    public void IsMatch_Pattern_MatchesAsDocumented(string pattern, string tag, bool expected)
    {
        Assert.True(TagGlob.TryParse(pattern, out var glob, out _));
        Assert.Equal(expected, glob!.IsMatch(Tag.Parse(tag)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v?")]
    [InlineData("v[0-9]")]
    [InlineData("prod/v1")]
    [InlineData("^v.*$")]
    public void TryParse_InvalidPattern_ReturnsFalseWithReason(string pattern)
    {
        Assert.False(TagGlob.TryParse(pattern, out var glob, out var error));
        Assert.Null(glob);
        Assert.Contains(pattern, error, StringComparison.Ordinal);
    }
}
