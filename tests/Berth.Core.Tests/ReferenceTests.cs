using Berth.Core.Errors;

namespace Berth.Core.Tests;

public sealed class ReferenceTests
{
    private const string EmptyDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.0")]
    [InlineData("sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Parse_Tag_IsTag(string text)
    {
        var reference = Reference.Parse(text);

        Assert.False(reference.IsDigest);
        Assert.Null(reference.Digest);
        Assert.Equal(Tag.Parse(text), reference.Tag);
        Assert.Equal(text, reference.ToString());
    }

    [Fact]
    public void Parse_Digest_IsDigest()
    {
        var reference = Reference.Parse(EmptyDigest);

        Assert.True(reference.IsDigest);
        Assert.Null(reference.Tag);
        Assert.Equal(Digest.Parse(EmptyDigest), reference.Digest);
        Assert.Equal(EmptyDigest, reference.ToString());
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("latest:")]
    [InlineData("sha256:../../etc")]
    [InlineData(":")]
    public void Parse_WithColonButNotADigest_ThrowsDigestInvalid(string text)
    {
        RegistryAssert.Throws(RegistryErrorCode.DigestInvalid, () => Reference.Parse(text), status: 400);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("-latest")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void Parse_InvalidTag_ThrowsTagInvalid400(string text)
    {
        var e = RegistryAssert.Throws(RegistryErrorCode.TagInvalid, () => Reference.Parse(text), status: 400);

        Assert.Equal(text, e.Detail);
    }

    [Fact]
    public void Parse_TagTooLong_ThrowsTagInvalid()
    {
        RegistryAssert.Throws(RegistryErrorCode.TagInvalid, () => Reference.Parse(new string('a', 129)));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".INVALID_MANIFEST_NAME")]
    [InlineData("a/b")]
    public void ParseForLookup_StringThatCannotBeATag_ReturnsNull(string text)
    {
        Assert.Null(Reference.ParseForLookup(text));
    }

    [Fact]
    public void ParseForLookup_MalformedDigest_ThrowsDigestInvalid()
    {
        RegistryAssert.Throws(RegistryErrorCode.DigestInvalid, () => Reference.ParseForLookup("sha256:totallywrong"), status: 400);
    }

    [Fact]
    public void ParseForLookup_ValidTagAndDigest_ParseAsParseDoes()
    {
        Assert.Equal(Reference.Parse("latest"), Reference.ParseForLookup("latest"));
        Assert.Equal(Reference.Parse(EmptyDigest), Reference.ParseForLookup(EmptyDigest));
    }

    [Fact]
    public void Of_TagAndDigest_RoundTripThroughToString()
    {
        Assert.Equal(Reference.Parse("latest"), Reference.Of(Tag.Parse("latest")));
        Assert.Equal(Reference.Parse(EmptyDigest), Reference.Of(Digest.Parse(EmptyDigest)));
    }
}
