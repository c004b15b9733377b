using Berth.Http;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>Which request targets hold a dot segment (refused with NAME_INVALID before Kestrel resolves it).</summary>
public sealed class DotSegmentGuardTests
{
    [Theory]
    [InlineData("/v2/a/../b/manifests/x")]
    [InlineData("/v2/./a/manifests/x")]
    [InlineData("/v2/a/manifests/..")]
    [InlineData("/v2/a/manifests/.")]
    [InlineData("/v2/%2e%2e/x/blobs/uploads/")]
    [InlineData("/v2/%2E/x/blobs/uploads/")]
    [InlineData("/v2/a/.%2e/b")]
    [InlineData("/v2/a/%2e./b")]
    [InlineData("/..")]
    [InlineData("/v2/a/..?n=1")]
    public void HasDotSegment_DotSegment_True(string target)
    {
        Assert.True(DotSegmentGuard.HasDotSegment(target));
    }

    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2/a.b/c/manifests/v1.2.3")]
    [InlineData("/v2/a/manifests/v1..2")]
    [InlineData("/v2/a/manifests/...")]
    [InlineData("/v2/a/manifests/.hidden")]
    [InlineData("/v2/a/%2e%2e%2e/x")]
    [InlineData("/v2/a/%2f../x")]
    [InlineData("/v2/_catalog?last=../..&n=1")]
    [InlineData("/v2/a/tags/list?last=..")]
    public void HasDotSegment_NoDotSegment_False(string target)
    {
        Assert.False(DotSegmentGuard.HasDotSegment(target));
    }
}
