using Berth.Core.Errors;

namespace Berth.Core.Tests;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("nginx")]
    [InlineData("labs/nginx")]
    [InlineData("a.b_c__d--e/f")]
    [InlineData("a---b")]
    [InlineData("library/ubuntu/jammy/base")]
    [InlineData("my-org.example/team_x/app9")]
    public void TryParse_Valid_KeepsText(string text)
    {
        Assert.True(RepositoryName.TryParse(text, out var name));
        Assert.Equal(text, name.Value);
        Assert.Equal(text, name.ToString());
    }

    [Fact]
    public void TryParse_MaxLength_Accepted()
    {
        // Five components of fifty and four slashes make 254; one more letter reaches the limit.
        var text = string.Join('/', Enumerable.Repeat(new string('a', 50), 5)) + "b";

        Assert.Equal(RepositoryName.MaxLength, text.Length);
        Assert.True(RepositoryName.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_OverMaxLength_Refused()
    {
        Assert.False(RepositoryName.TryParse(new string('a', RepositoryName.MaxLength + 1), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Labs/nginx")]
    [InlineData("labs/Nginx")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("_a")]
    [InlineData("a_")]
    [InlineData("a___b")]
    [InlineData("a..b")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a/../b")]
    [InlineData("a/./b")]
    [InlineData("../a")]
    [InlineData("%2e")]
    [InlineData("a%2fb")]
    [InlineData("a b")]
    [InlineData(" a")]
    [InlineData("a ")]
    [InlineData("a\n")]
    [InlineData("a\nb")]
    [InlineData("a\\b")]
    [InlineData("a:b")]
    [InlineData("ä")]
    [InlineData("naïve/app")]
    [InlineData("ａ")]
    public void TryParse_Invalid_Refused(string text)
    {
        Assert.False(RepositoryName.TryParse(text, out var name));
        Assert.Equal(default, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a//b")]
    public void Parse_Invalid_ThrowsNameInvalid(string? text)
    {
        var e = RegistryAssert.Throws(RegistryErrorCode.NameInvalid, () => RepositoryName.Parse(text), status: 400);

        Assert.Equal(text, e.Detail);
    }

    [Fact]
    public void Parse_Valid_EqualsTryParse()
    {
        Assert.True(RepositoryName.TryParse("labs/nginx", out var expected));

        Assert.Equal(expected, RepositoryName.Parse("labs/nginx"));
    }
}
