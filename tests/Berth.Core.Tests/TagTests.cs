using Berth.Core.Errors;

namespace Berth.Core.Tests;

public sealed class TagTests
{
    [Theory]
    [InlineData("latest")]
    [InlineData("a")]
    [InlineData("_")]
    [InlineData("9")]
    [InlineData("v1.2.3")]
    [InlineData("1.0-rc_1")]
    [InlineData("Release-2024")]
    [InlineData("_a..b--c")]
    [InlineData("sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void TryParse_Valid_KeepsText(string text)
    {
        Assert.True(Tag.TryParse(text, out var tag));
        Assert.Equal(text, tag.Value);
        Assert.Equal(text, tag.ToString());
    }

    [Fact]
    public void TryParse_128Characters_Accepted()
    {
        Assert.True(Tag.TryParse(new string('a', 128), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".a")]
    [InlineData("-a")]
    [InlineData("a/b")]
    [InlineData("../a")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData(" a")]
    [InlineData("a ")]
    [InlineData("a\n")]
    [InlineData("a\\b")]
    [InlineData("a+b")]
    [InlineData("é")]
    [InlineData("%2e")]
    public void TryParse_Invalid_Refused(string text)
    {
        Assert.False(Tag.TryParse(text, out var tag));
        Assert.Equal(default, tag);
    }

    [Theory]
    [InlineData(129)]
    [InlineData(1000)]
    public void TryParse_TooLong_Refused(int length)
    {
        Assert.False(Tag.TryParse(new string('a', length), out _));
    }

    [Fact]
    public void TryParse_128CharactersAndNewline_Refused()
    {
        Assert.False(Tag.TryParse(new string('a', 128) + "\n", out _));
    }

    [Fact]
    public void TryParse_Null_Refused()
    {
        Assert.False(Tag.TryParse(null, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("..")]
    public void Parse_Invalid_ThrowsTagInvalid(string? text)
    {
        var e = RegistryAssert.Throws(RegistryErrorCode.TagInvalid, () => Tag.Parse(text), status: 400);

        Assert.Equal(text, e.Detail);
    }
}
