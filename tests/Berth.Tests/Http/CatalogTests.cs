using System.Net;
using System.Text.Json;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>A registry holding exactly <see cref="Names"/>: three nested names and 102 more to pass the default page.</summary>
public sealed class CatalogFixture : BerthFixture
{
    public static IReadOnlyList<string> Names { get; } =
        [.. new[] { "a", "b/c", "b/d/e" }.Concat(Enumerable.Range(0, 102).Select(i => $"many/r{i:D3}")).Order(StringComparer.Ordinal)];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var content = Digests.RandomBytes();
        await Parallel.ForEachAsync(Names, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (name, _) => await Registry.PushBlobAsync(name, content));
    }
}

/// <summary>GET /v2/_catalog: every repository, nested names included, paginated with n, last and Link.</summary>
public sealed class CatalogTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string[] Repositories, string? Link)> GetAsync(string query)
    {
        using var response = await fixture.Http.GetAsync("v2/_catalog" + query, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var names = json.RootElement.GetProperty("repositories").EnumerateArray().Select(name => name.GetString()!).ToArray();
        return (names, ResponseAssert.Header(response, "Link"));
    }

    [Fact]
    public async Task Get_CatalogDefault_FirstHundredSortedWithNextLink()
    {
        var (names, link) = await GetAsync("");

        Assert.Equal(CatalogFixture.Names.Take(100), names);
        Assert.Contains("a", names);
        Assert.Contains("b/d/e", names);
        Assert.NotNull(link);
        Assert.EndsWith("rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains($"last={Uri.EscapeDataString(names[^1])}", link, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?n=2", new[] { "a", "b/c" }, true)]
    [InlineData("?n=2&last=a", new[] { "b/c", "b/d/e" }, true)]
    [InlineData("?n=1&last=b%2Fc", new[] { "b/d/e" }, true)]
    [InlineData("?n=2&last=many/r100", new[] { "many/r101" }, false)]
    [InlineData("?last=many/r101", new string[0], false)]
    [InlineData("?last=zzz", new string[0], false)]
    [InlineData("?n=0", new string[0], false)]
    public async Task Get_CatalogPaginated_PageAndLink(string query, string[] expected, bool hasNext)
    {
        var (names, link) = await GetAsync(query);

        Assert.Equal(expected, names);
        Assert.Equal(hasNext, link is not null);
    }

    [Fact]
    public async Task Get_CatalogFollowingLinks_ListsEveryRepositoryOnce()
    {
        var seen = new List<string>();
        string? next = "/v2/_catalog?n=7";
        while (next is not null)
        {
            var (names, link) = await GetAsync(next["/v2/_catalog".Length..]);
            seen.AddRange(names);
            next = link?.Split('<', '>')[1];
            Assert.True(seen.Count <= CatalogFixture.Names.Count, "pagination does not end");
        }

        Assert.Equal(CatalogFixture.Names, seen);
    }

    [Fact]
    public async Task Get_CatalogNAtDefaultMaxEntries_Served()
    {
        var (names, link) = await GetAsync("?n=1000");

        Assert.Equal(CatalogFixture.Names, names);
        Assert.Null(link);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1001")] // above catalog.maxentries, 1000 by default: registry:2 (2.8.2) and registry:3 refuse it too
    public async Task Get_CatalogInvalidN_BadRequestPaginationNumberInvalid(string n)
    {
        using var response = await fixture.Http.GetAsync($"v2/_catalog?n={n}", Ct);

        await ResponseAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }
}
