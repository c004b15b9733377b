using System.Net;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// berth under registry:3's keys <c>http.prefix: /reg/</c>, <c>catalog.maxentries: 3</c> and <c>tags.maxtags: 2</c>,
/// set the <c>REGISTRY_*</c> way, holding the repositories <see cref="Names"/> and the tags <see cref="Tags"/> of the
/// first one.
/// </summary>
public sealed class Registry3Fixture : BerthFixture
{
    public static IReadOnlyList<string> Names { get; } = ["r/a", "r/b", "r/c", "r/d", "r/e"];

    public static IReadOnlyList<string> Tags { get; } = ["t1", "t2", "t3", "t4", "t5"];

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("REGISTRY_HTTP_PREFIX", "/reg/"),
        new("REGISTRY_CATALOG_MAXENTRIES", "3"),
        new("REGISTRY_TAGS_MAXTAGS", "2"),
    ];

    protected override string ApiRoot => "reg/";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var name in Names)
        {
            var manifest = await Registry.PushRandomImageAsync(name, Tags[0]);
            if (name == Names[0])
            {
                foreach (var tag in Tags.Skip(1))
                {
                    using var response = await Registry.PutManifestAsync(name, tag, manifest);
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                }
            }
        }
    }
}

/// <summary>Page limits, HEAD on listings, and every path and link under the prefix.</summary>
public sealed class Registry3ListingTests(Registry3Fixture fixture) : IClassFixture<Registry3Fixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCatalog_NAboveMaxEntries_PaginationNumberInvalid()
    {
        using var response = await fixture.Http.GetAsync("v2/_catalog?n=4", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task GetCatalog_NoN_MaxEntriesAndLinkUnderPrefix()
    {
        using var response = await fixture.Http.GetAsync("v2/_catalog", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"repositories":["r/a","r/b","r/c"]}""", body);
        Assert.Equal("</reg/v2/_catalog?last=r%2Fc&n=3>; rel=\"next\"", ResponseAssert.Header(response, "Link"));
    }

    [Fact]
    public async Task GetTags_NAboveMaxTags_CutToMaxTagsWithLink()
    {
        using var response = await fixture.Http.GetAsync("v2/r/a/tags/list?n=10000", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["t1", "t2"], await fixture.Registry.TagsAsync("r/a", "?n=10000"));
        Assert.Equal("</reg/v2/r/a/tags/list?n=2&last=t2>; rel=\"next\"", ResponseAssert.Header(response, "Link"));
    }

    [Fact]
    public async Task GetTags_NoN_EveryTag()
    {
        Assert.Equal(Registry3Fixture.Tags, await fixture.Registry.TagsAsync("r/a"));
    }

    [Theory]
    [InlineData("v2/r/a/tags/list?n=2")]
    [InlineData("v2/r/a/tags/list?n=2&last=t5")]
    [InlineData("v2/_catalog?n=2")]
    [InlineData("v2/_catalog?last=zzz")]
    public async Task Head_Listing_SameStatusAndHeadersAsGetWithoutBody(string target)
    {
        using var get = await fixture.Http.GetAsync(target, Ct);
        var getBody = await get.Content.ReadAsByteArrayAsync(Ct);
        using var head = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, target), Ct);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(ResponseAssert.Header(get, "Link"), ResponseAssert.Header(head, "Link"));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task HeadTags_PastTheLastPage_EmptyListWithoutLink()
    {
        using var head = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "v2/r/a/tags/list?n=2&last=t5"), Ct);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("""{"name":"r/a","tags":[]}""".Length, head.Content.Headers.ContentLength);
        Assert.Null(ResponseAssert.Header(head, "Link"));
    }

    [Fact]
    public async Task PostUpload_UnderPrefix_LocationUnderPrefix()
    {
        var location = await fixture.Registry.StartUploadAsync("r/new");

        Assert.StartsWith($"{fixture.Berth.BaseUri}reg/v2/r/new/blobs/uploads/", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifest_WithoutPrefix_NotFound()
    {
        using var http = new HttpClient { BaseAddress = fixture.Berth.BaseUri };

        using var response = await http.GetAsync("v2/r/a/manifests/t1", Ct);
        using var ping = await http.GetAsync("v2/", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, ping.StatusCode);
    }

    [Fact]
    public async Task Healthcheck_WithPrefix_PingsUnderThePrefix()
    {
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_ADDR"] = fixture.Berth.HostPort,
            ["REGISTRY_HTTP_PREFIX"] = "/reg/",
        };

        var (exitCode, output) = await BerthProcess.RunToEndAsync(["healthcheck"], environment);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"GET http://{fixture.Berth.HostPort}/reg/v2/ answered 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRoot_WithPrefix_AliveAsRegistry()
    {
        using var http = new HttpClient { BaseAddress = fixture.Berth.BaseUri };

        using var response = await http.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }
}
