using System.Text;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

public sealed class AuthorizationHeaderTests
{
    [Fact]
    public void TryParseBasic_WellFormed_ReturnsUserAndPassword()
    {
        Assert.True(AuthorizationHeader.TryParseBasic(Basic.Header("moby", "go:rdon"), out var user, out var password));
        Assert.Equal("moby", user);
        Assert.Equal("go:rdon", password);
    }

    [Fact]
    public void TryParseBasic_SchemeInOtherCase_IsAccepted()
    {
        var header = "bASIC " + Convert.ToBase64String(Encoding.UTF8.GetBytes("moby:gordon"));
        Assert.True(AuthorizationHeader.TryParseBasic(header, out var user, out _));
        Assert.Equal("moby", user);
    }

    [Fact]
    public void TryParseBasic_EmptyPassword_IsAccepted()
    {
        Assert.True(AuthorizationHeader.TryParseBasic(Basic.Header("moby", ""), out _, out var password));
        Assert.Equal("", password);
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic bW9ieQ==")] // "moby": no colon
    [InlineData("Basic OmdvcmRvbg==")] // ":gordon": empty user
    [InlineData("Basic /w==")] // a lone 0xFF byte: not UTF-8
    [InlineData("Bearer abc.def.ghi")]
    [InlineData("BasicbW9ieTpnb3Jkb24=")]
    [InlineData("")]
    public void TryParseBasic_Malformed_ReturnsFalse(string header)
    {
        Assert.False(AuthorizationHeader.TryParseBasic(header, out var user, out var password));
        Assert.Equal("", user);
        Assert.Equal("", password);
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer  abc ", "abc")]
    [InlineData("Bearer", null)]
    [InlineData("Basic abc", null)]
    public void Parameter_Scheme_ReturnsParameterOrNull(string header, string? expected) =>
        Assert.Equal(expected, AuthorizationHeader.Parameter(header, "Bearer"));

    [Theory]
    [InlineData("Registry Realm", "\"Registry Realm\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"back\slash", "\"back\\\\slash\"")]
    public void Quote_SpecialCharacters_AreEscaped(string value, string expected) =>
        Assert.Equal(expected, AuthorizationHeader.Quote(value));
}
