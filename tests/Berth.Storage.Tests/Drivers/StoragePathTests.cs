using Berth.Storage.Drivers;

namespace Berth.Storage.Tests.Drivers;

public sealed class StoragePathTests
{
    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("/")]
    [InlineData("a\\b")]
    [InlineData("..\\..")]
    [InlineData("a\0b")]
    public void Append_UnsafeSegment_Throws(string segment)
    {
        Assert.Throws<ArgumentException>(() => StoragePath.Root.Append("docker").Append(segment));
    }

    [Fact]
    public void Append_SegmentLongerThanMax_Throws()
    {
        Assert.Throws<ArgumentException>(() => StoragePath.Root.Append(new string('a', StoragePath.MaxSegmentLength + 1)));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("trailing/")]
    [InlineData("a\\..\\b")]
    public void Parse_UnsafePath_Throws(string path)
    {
        Assert.Throws<ArgumentException>(() => StoragePath.Parse(path));
    }

    [Fact]
    public void Parse_RelativePath_KeepsSegmentsNameAndParent()
    {
        var path = StoragePath.Parse("docker/registry/v2");

        Assert.Equal("docker/registry/v2", path.Value);
        Assert.Equal("v2", path.Name);
        Assert.Equal(StoragePath.Parse("docker/registry"), path.Parent);
        Assert.False(path.IsRoot);
    }

    [Fact]
    public void Root_IsEmptyAndItsOwnParent()
    {
        Assert.True(StoragePath.Root.IsRoot);
        Assert.Equal(string.Empty, StoragePath.Root.Value);
        Assert.Equal(StoragePath.Root, StoragePath.Root.Parent);
        Assert.Equal(StoragePath.Root, StoragePath.Parse("top").Parent);
    }
}
