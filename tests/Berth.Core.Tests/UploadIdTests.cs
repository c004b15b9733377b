namespace Berth.Core.Tests;

public sealed class UploadIdTests
{
    [Fact]
    public void New_Value_ParsesBack()
    {
        var id = UploadId.New();

        Assert.True(UploadId.TryParse(id.Value, out var parsed));
        Assert.Equal(id, parsed);
        Assert.Equal(id.Value, id.ToString());
    }

    [Fact]
    public void New_TwoCalls_Differ()
    {
        Assert.NotEqual(UploadId.New(), UploadId.New());
    }

    [Theory]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c3301")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void TryParse_LowercaseUuid_Accepted(string text)
    {
        Assert.True(UploadId.TryParse(text, out var id));
        Assert.Equal(text, id.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3F2504E0-4F89-41D3-9A0C-0305E82C3301")]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305E82c3301")]
    [InlineData("3f2504e04f8941d39a0c0305e82c3301")]
    [InlineData("{3f2504e0-4f89-41d3-9a0c-0305e82c3301}")]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c330")]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c33011")]
    [InlineData(" 3f2504e0-4f89-41d3-9a0c-0305e82c330")]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c330 ")]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c330\n")]
    [InlineData("g f2504e0-4f89-41d3-9a0c-0305e82c3301")]
    [InlineData("not-an-upload-id-at-all-just-letters")]
    [InlineData("../../../../../../../../../etc/passwd")]
    [InlineData("3f2504e0-4f89-41d3-9a0c/../../../../x")]
    public void TryParse_NotALowercaseUuid_Refused(string text)
    {
        Assert.False(UploadId.TryParse(text, out var id));
        Assert.Equal(default, id);
    }

    [Fact]
    public void TryParse_Null_Refused()
    {
        Assert.False(UploadId.TryParse(null, out _));
    }
}
