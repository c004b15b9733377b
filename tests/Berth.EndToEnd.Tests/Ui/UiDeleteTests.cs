using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>Deleting a tag from the page: nothing goes without confirmation, and only that tag goes.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiDeleteTests(UiRegistryFixture fixture)
{
    [Fact]
    public async Task DeleteTag_CancelKeepsIt_DeleteRemovesOnlyThatTag()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/r/delete/me");
        var row = page.Locator($"table#images tr[data-digest='{fixture.DeleteMe.ManifestDigest}']");
        var tag = row.Locator("span.tag", new() { HasTextString = "1.0" });
        var dialog = page.Locator("dialog#confirm");
        await Expect(tag).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete tag 1.0", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("#confirm-message")).ToContainTextAsync("1.0");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(tag).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync("1.0"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete tag 1.0", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(tag).ToHaveCountAsync(0);
        await Expect(row.Locator("span.tag", new() { HasTextString = "keep" })).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.NotFound, await ManifestStatusAsync("1.0"));
        Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync("keep"));
        Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync(fixture.DeleteMe.ManifestDigest));
        await page.Context.CloseAsync();
    }

    private Task<HttpStatusCode> ManifestStatusAsync(string reference) =>
        RegistryHttp.ManifestStatusAsync(fixture.Berth.BaseUri, "delete/me", reference);
}
