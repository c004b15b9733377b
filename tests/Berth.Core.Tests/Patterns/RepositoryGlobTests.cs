using Berth.Core.Patterns;

namespace Berth.Core.Tests.Patterns;

public sealed class RepositoryGlobTests
{
    [Theory]
    [InlineData("public/*", "public/nginx", true)]
    [InlineData("public/*", "public/a/b", false)]
    [InlineData("public/*", "public", false)]
    [InlineData("public/**", "public/nginx", true)]
    [InlineData("public/**", "public/a/b/c", true)]
    [InlineData("public/**", "public", false)]
    [InlineData("public/**", "publicity/x", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("*", "top", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("team-*/app", "team-a/app", true)]
    [InlineData("team-*/app", "team-a/b/app", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/x/c", false)]
    [InlineData("**/cache", "cache", true)]
    [InlineData("**/cache", "x/y/cache", true)]
    [InlineData("labs/nginx", "labs/nginx", true)]
    [InlineData("labs/nginx", "labs/nginx2", false)]
    [InlineData("a.b", "axb", false)]
    public void IsMatch_Pattern_MatchesAsDocumented(string pattern, string repository, bool expected)
    {
        Assert.True(RepositoryGlob.TryParse(pattern, out var glob, out _));
        Assert.Equal(expected, glob!.IsMatch(repository));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Public/*")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a/***")]
    [InlineData("a**")]
    [InlineData("a/[bc]")]
    [InlineData("a/b?")]
    public void TryParse_InvalidPattern_ReturnsFalseWithReason(string pattern)
    {
        Assert.False(RepositoryGlob.TryParse(pattern, out var glob, out var error));
        Assert.Null(glob);
        Assert.NotEmpty(error);
    }
}
