using Berth.Tracing;
using Xunit;

namespace Berth.Tests.Tracing;

public sealed class RequestSpanNamesTests
{
    [Theory]
    [InlineData("/v2/", "", "/v2/", null)]
    [InlineData("/v2", "", "/v2/", null)]
    [InlineData("/", "", "/", null)]
    [InlineData("/v2/_catalog", "", "/v2/_catalog", null)]
    [InlineData("/v2/lib/nginx/manifests/latest", "", "/v2/{name}/manifests/{reference}", "lib/nginx")]
    [InlineData("/v2/a/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000", "", "/v2/{name}/blobs/{digest}", "a")]
    [InlineData("/v2/a/blobs/uploads/", "", "/v2/{name}/blobs/uploads/", "a")]
    [InlineData("/v2/a/blobs/uploads/3f1c", "", "/v2/{name}/blobs/uploads/{uuid}", "a")]
    [InlineData("/v2/a/b/tags/list", "", "/v2/{name}/tags/list", "a/b")]
    [InlineData("/v2/a/referrers/sha256:00", "", "/v2/{name}/referrers/{digest}", "a")]
    [InlineData("/registry/v2/a/manifests/1", "/registry", "/v2/{name}/manifests/{reference}", "a")]
    public void Describe_RegistryPath_RouteTemplateAndRepository(string path, string prefix, string route, string? repository)
    {
        Assert.Equal((route, repository), RequestSpanNames.Describe(path, prefix));
    }

    [Theory]
    [InlineData("/favicon.ico", "")]
    [InlineData("/v2/a/unknown/x", "")]
    [InlineData("/v2/UPPER/manifests/latest", "")]
    [InlineData("/v2/a/manifests/latest", "/registry")]
    public void Describe_NoEndpointOrBadName_NoRoute(string path, string prefix)
    {
        Assert.Equal((null, null), RequestSpanNames.Describe(path, prefix));
    }
}
