using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>Moving on before a page has loaded: what is shown is the page the user went to last.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiNavigationTests(UiRegistryFixture fixture)
{
    [Fact]
    public async Task SlowOverview_UserMovesToRepositories_RepositoriesStayShown()
    {
        var page = await fixture.NewPageAsync();
        // The overview's answer is held until the repositories page is drawn: the order a slow server gives.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/ui/api/overview", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync("#/repositories");
        await Expect(UiBrowseTests.Row(page, "apps/web")).ToBeVisibleAsync();
        var overviewAnswered = page.WaitForResponseAsync("**/ui/api/overview");
        // The overview must have been asked for before the user moves on; two hash changes in a row may otherwise
        // reach the page as one, and no overview is asked for at all.
        var overviewAsked = page.WaitForRequestAsync("**/ui/api/overview");
        await page.GotoAsync("#/");
        await overviewAsked;
        await page.GotoAsync("#/repositories");
        await Expect(UiBrowseTests.Row(page, "apps/web")).ToBeVisibleAsync();

        release.SetResult();
        await (await overviewAnswered).FinishedAsync();
        // Let the page take the late answer: two turns of its event loop after the body has arrived.
        await page.EvaluateAsync("() => new Promise(done => setTimeout(() => setTimeout(done, 0), 0))");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Repositories");
        await Expect(UiBrowseTests.Row(page, "apps/web")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
