using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>Screenshots of every page at 1280x800 (see <see cref="UiScreenshots"/>), each taken once the page is drawn.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiScreenshotTests(UiRegistryFixture fixture)
{
    [Fact]
    public async Task EveryPage_Drawn_ScreenshotSaved()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("#/");
        await Expect(page.Locator("#recent a").First).ToBeVisibleAsync();
        await UiScreenshots.SaveAsync(page, "overview");

        await page.GotoAsync("#/repositories");
        await Expect(UiBrowseTests.Row(page, "apps/web")).ToBeVisibleAsync();
        await UiScreenshots.SaveAsync(page, "repositories");

        await page.GotoAsync("#/r/apps/hello");
        await Expect(page.Locator("table#images tr[data-digest]").First).ToBeVisibleAsync();
        await UiScreenshots.SaveAsync(page, "repository");

        await page.GotoAsync("#/i/apps/multi:v1");
        await Expect(page.Locator("table#platforms tbody tr")).ToHaveCountAsync(2);
        await UiScreenshots.SaveAsync(page, "index");

        await page.GotoAsync("#/i/apps/web:1.2.3");
        await Expect(page.Locator("ol#history li").First).ToBeVisibleAsync();
        await Expect(page.Locator("#referrers section.artifact-group").First).ToBeVisibleAsync();
        await UiScreenshots.SaveAsync(page, "image");

        await page.GotoAsync("#/i/charts/mychart:0.1.0");
        await Expect(page.Locator("#artifact-kind")).ToBeVisibleAsync();
        await UiScreenshots.SaveAsync(page, "helm-chart");
        await page.Context.CloseAsync();
    }
}
