using System.Net;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>/v2/ itself, and what happens off the endpoint table.</summary>
public sealed class BaseEndpointTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_Base_OkWithJsonAndApiVersion()
    {
        using var response = await fixture.Http.GetAsync("v2/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", ResponseAssert.Header(response, "Docker-Distribution-API-Version"));
        Assert.Equal("{}", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("v2/")]
    [InlineData("v2/nothing-here")]
    [InlineData("v2/library/ubuntu/manifests/missing")]
    public async Task Get_AnyAnswer_CarriesTheConfiguredHttpHeaders(string path)
    {
        // The built-in configuration, like registry:2's, sets http.headers X-Content-Type-Options: [nosniff].
        using var response = await fixture.Http.GetAsync(path, Ct);

        Assert.Equal("nosniff", ResponseAssert.Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task Head_Base_OkWithoutBody()
    {
        using var response = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "v2/"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Get_BaseWithoutSlash_Ok()
    {
        using var response = await fixture.Http.GetAsync("v2", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("v2/nothing-here")]
    [InlineData("v2/library/ubuntu/things/latest")]
    [InlineData("v2/library/ubuntu/manifests/")]
    [InlineData("v2/_catalog/more")]
    public async Task Get_UnknownPathUnderV2_NotFoundWithEnvelope(string path)
    {
        using var response = await fixture.Http.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        ResponseAssert.AssertEnvelope(await response.Content.ReadAsStringAsync(Ct), "UNSUPPORTED");
    }

    [Theory]
    [InlineData("POST", "v2/")]
    [InlineData("DELETE", "v2/")]
    [InlineData("POST", "v2/_catalog")]
    [InlineData("PUT", "v2/library/ubuntu/tags/list")]
    [InlineData("POST", "v2/library/ubuntu/manifests/latest")]
    [InlineData("PATCH", "v2/library/ubuntu/manifests/latest")]
    [InlineData("PUT", "v2/library/ubuntu/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("GET", "v2/library/ubuntu/blobs/uploads/")]
    [InlineData("POST", "v2/library/ubuntu/blobs/uploads/0b7c5e16-1f63-4d8a-9a41-3a4c6c9b2c11")]
    [InlineData("DELETE", "v2/library/ubuntu/referrers/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Send_WrongMethodOnKnownPath_MethodNotAllowedWithEnvelope(string method, string path)
    {
        using var response = await fixture.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }

    [Theory]
    [InlineData("v2/UPPER/manifests/latest")]
    [InlineData("v2/-lead/manifests/latest")]
    [InlineData("v2/a//b/tags/list")]
    public async Task Get_InvalidRepositoryName_BadRequestNameInvalid(string path)
    {
        using var response = await fixture.Http.GetAsync(path, Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }
}
