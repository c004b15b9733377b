using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>A user walks the overview, the repository list and a repository's tags in chromium.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiBrowseTests(UiRegistryFixture fixture)
{
    [Fact]
    public async Task Overview_Totals_MatchWhatTheRegistryLists()
    {
        var (repositories, tags) = await CountThroughV2Async();
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("#/");

        await Expect(page.Locator("#total-repositories")).ToHaveTextAsync(WholeNumber(repositories));
        await Expect(page.Locator("#total-tags")).ToHaveTextAsync(WholeNumber(tags));
        await Expect(page.Locator("#total-storage")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#recent a").First).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(new Regex(".+"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repositories_TypingAFilter_NarrowsTheRows()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/repositories");
        await Expect(Row(page, "apps/hello")).ToBeVisibleAsync();
        await Expect(Row(page, "charts/mychart")).ToBeVisibleAsync();

        await page.GetByLabel("Filter repositories").FillAsync("chart");

        await Expect(Row(page, "charts/mychart")).ToBeVisibleAsync();
        await Expect(Row(page, "apps/hello")).ToHaveCountAsync(0);
        await Expect(page.Locator("#repository-count")).ToContainTextAsync("1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repositories_NamespaceButton_CollapsesAndExpandsItsRows()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/repositories");
        var toggle = page.Locator("tr[data-namespace='apps'] button[aria-expanded]");
        await Expect(Row(page, "apps/multi")).ToBeVisibleAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");

        await toggle.ClickAsync();

        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(Row(page, "apps/multi")).ToBeHiddenAsync();
        await Expect(Row(page, "charts/mychart")).ToBeVisibleAsync();
        await toggle.ClickAsync();
        await Expect(Row(page, "apps/multi")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repositories_ClickingAName_OpensTheRepositoryWithItsTags()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/repositories");

        await Row(page, "apps/hello").GetByRole(AriaRole.Link, new() { Name = "apps/hello" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/r/apps/hello$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("apps/hello");
        var image = page.Locator($"table#images tr[data-digest='{fixture.HelloDigest}']");
        await Expect(image.Locator(".tags span.tag", new() { HasText = "1.0" })).ToBeVisibleAsync();
        await Expect(image.Locator(".tags span.tag", new() { HasText = "latest" })).ToBeVisibleAsync();
        await Expect(image.Locator(".platforms")).ToContainTextAsync("linux/amd64");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repository_MultiArchIndex_ListsEveryPlatform()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("#/r/apps/multi");

        var platforms = page.Locator($"tr[data-digest='{fixture.Multi.IndexDigest}'] .platforms");
        await Expect(platforms).ToContainTextAsync("linux/amd64");
        await Expect(platforms).ToContainTextAsync("linux/arm64");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repository_FilterTags_NarrowsTheRows()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/r/apps/web");
        await Expect(page.Locator("table#images tr[data-digest]")).ToHaveCountAsync(1);

        await page.GetByLabel("Filter tags").FillAsync("no-such-tag");

        await Expect(page.Locator("table#images tr[data-digest]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repository_TagsOfSeveralImages_SortedByVersionNotText()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("#/r/apps/versions");

        var rows = page.Locator("table#images tr[data-digest]");
        await Expect(rows).ToHaveCountAsync(3);
        var order = new List<string>();
        foreach (var row in await rows.AllAsync())
        {
            order.Add(fixture.VersionDigests[(await row.GetAttributeAsync("data-digest"))!]);
        }

        string[] ascending = ["1.2", "1.9", "1.10"];
        Assert.True(order.SequenceEqual(ascending) || order.SequenceEqual(ascending.Reverse()), "rows in order " + string.Join(", ", order));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repositories_TagsHeader_SortsAndSaysSo()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/repositories");
        var header = page.Locator("table#repositories th", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Tags" }) });
        await Expect(header).ToHaveAttributeAsync("aria-sort", "none");

        await header.GetByRole(AriaRole.Button).ClickAsync();

        await Expect(header).ToHaveAttributeAsync("aria-sort", new Regex("^(ascending|descending)$"));
        await page.Context.CloseAsync();
    }

    /// <summary>The number alone, not as part of a longer one ("7" but not "17").</summary>
    private static Regex WholeNumber(int value) => new($@"(^|\D){value.ToString(CultureInfo.InvariantCulture)}(\D|$)");

    internal static ILocator Row(IPage page, string repository) =>
        page.Locator($"table#repositories tr[data-repository='{repository}']");

    /// <summary>Repositories and tags as <c>/v2/</c> lists them: what the overview's totals must say.</summary>
    private async Task<(int Repositories, int Tags)> CountThroughV2Async()
    {
        using var http = new HttpClient { BaseAddress = fixture.Berth.BaseUri };
        var token = TestContext.Current.CancellationToken;
        var catalog = await http.GetFromJsonAsync<JsonElement>("v2/_catalog", token);
        var names = catalog.GetProperty("repositories").EnumerateArray().Select(name => name.GetString()!).ToList();
        var tags = 0;
        foreach (var name in names)
        {
            var list = await http.GetFromJsonAsync<JsonElement>($"v2/{name}/tags/list", token);
            tags += list.GetProperty("tags") is { ValueKind: JsonValueKind.Array } array ? array.GetArrayLength() : 0;
        }

        return (names.Count, tags);
    }
}
