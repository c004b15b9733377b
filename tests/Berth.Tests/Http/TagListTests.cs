using System.Net;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>GET /v2/&lt;name&gt;/tags/list: sorted, paginated with n and last, Link to the next page.</summary>
public sealed class TagListTests(BerthFixture fixture) : IClassFixture<BerthFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A repository whose tags are pushed out of order: a, b, c, d plus mixed-case and punctuated ones.</summary>
    private async Task<string> SeedAsync()
    {
        var repository = Digests.NewRepository("tags");
        var manifest = await fixture.Registry.PushRandomImageAsync(repository, "c");
        foreach (var tag in new[] { "b", "d", "a" })
        {
            using var response = await fixture.Registry.PutManifestAsync(repository, tag, manifest);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        return repository;
    }

    [Fact]
    public async Task Get_Tags_SortedWithName()
    {
        var repository = await SeedAsync();

        using var response = await fixture.Http.GetAsync($"v2/{repository}/tags/list", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($$"""{"name":"{{repository}}","tags":["a","b","c","d"]}""", body);
        Assert.Null(ResponseAssert.Header(response, "Link"));
    }

    [Theory]
    [InlineData("?n=2", new[] { "a", "b" }, "?n=2&last=b")]
    [InlineData("?n=2&last=b", new[] { "c", "d" }, null)]
    [InlineData("?n=1&last=a", new[] { "b" }, "?n=1&last=b")]
    [InlineData("?last=b", new[] { "c", "d" }, null)]
    [InlineData("?last=bb", new[] { "c", "d" }, null)]
    [InlineData("?last=d", new string[0], null)]
    [InlineData("?n=4", new[] { "a", "b", "c", "d" }, null)]
    [InlineData("?n=100", new[] { "a", "b", "c", "d" }, null)]
    [InlineData("?n=0", new string[0], null)]
    public async Task Get_TagsPaginated_PageAndLink(string query, string[] expected, string? nextQuery)
    {
        var repository = await SeedAsync();

        using var response = await fixture.Http.GetAsync($"v2/{repository}/tags/list{query}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await fixture.Registry.TagsAsync(repository, query));
        var link = ResponseAssert.Header(response, "Link");
        Assert.Equal(nextQuery is null ? null : $"</v2/{repository}/tags/list{nextQuery}>; rel=\"next\"", link);
    }

    [Fact]
    public async Task Get_TagsFollowingLinks_VisitsEveryTagOnce()
    {
        var repository = await SeedAsync();
        var seen = new List<string>();
        string? next = $"/v2/{repository}/tags/list?n=3";

        while (next is not null)
        {
            using var response = await fixture.Http.GetAsync(next.TrimStart('/'), Ct);
            seen.AddRange(await fixture.Registry.TagsAsync(repository, next[next.IndexOf('?', StringComparison.Ordinal)..]));
            next = ResponseAssert.Header(response, "Link")?.Split('<', '>')[1];
        }

        Assert.Equal(["a", "b", "c", "d"], seen);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task Get_TagsInvalidN_BadRequestPaginationNumberInvalid(string n)
    {
        var repository = await SeedAsync();

        using var response = await fixture.Http.GetAsync($"v2/{repository}/tags/list?n={n}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Get_TagsOfUnknownRepository_NotFoundNameUnknown()
    {
        using var response = await fixture.Http.GetAsync($"v2/{Digests.NewRepository("tags")}/tags/list", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Get_TagsOfRepositoryWithBlobsOnly_EmptyList()
    {
        var repository = Digests.NewRepository("tags");
        await fixture.Registry.PushBlobAsync(repository, Digests.RandomBytes());

        Assert.Empty(await fixture.Registry.TagsAsync(repository));
    }
}
