using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>axe-core (run in the page) finds no serious or critical accessibility problem on the main pages.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiAccessibilityTests(UiRegistryFixture fixture)
{
    public static TheoryData<string, string> Pages() => new()
    {
        { "#/", "#recent a" },
        { "#/repositories", "table#repositories tr[data-repository]" },
        { "#/r/apps/web", "table#images tr[data-digest]" },
        { "#/i/apps/web:1.2.3", "ol#history li" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Drawn_NoSeriousAxeViolations(string route, string drawn)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(route);
        await Expect(page.Locator(drawn).First).ToBeVisibleAsync();

        var result = await page.RunAxe();

        Assert.NotEmpty(result.Passes); // axe did run its rules
        var serious = result.Violations.Where(violation => violation.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join('\n', serious.Select(violation =>
            $"{violation.Impact} {violation.Id}: {violation.Help} at {string.Join(", ", violation.Nodes.Select(node => node.Target.ToString()))}")));
        await page.Context.CloseAsync();
    }
}
