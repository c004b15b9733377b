using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>Logging in to a registry with htpasswd and an access policy: each user sees and may do only what the policy grants.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiLoginTests(UiRegistryFixture shared, UiHtpasswdFixture fixture) : IClassFixture<UiHtpasswdFixture>
{
    private static readonly Regex DeleteButton = new("^Delete (tag|image) ");

    [Fact]
    public async Task LogIn_AsBob_OnlyTeamRepositoriesAndNoDeleteButtons()
    {
        var page = await NewPageAsync();

        await LogInAsync(page, "bob", UiHtpasswdFixture.Password);

        await Expect(page.Locator("#user")).ToHaveTextAsync("bob");
        await page.GotoAsync("#/repositories");
        await Expect(UiBrowseTests.Row(page, "team/api")).ToBeVisibleAsync();
        await Expect(UiBrowseTests.Row(page, "team/web")).ToBeVisibleAsync();
        await Expect(UiBrowseTests.Row(page, "other/secret")).ToHaveCountAsync(0);
        await page.GotoAsync("#/r/team/api");
        await Expect(page.Locator("table#images tr[data-digest]")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = DeleteButton })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LogIn_AsAlice_EveryRepositoryAndDeleteButtons()
    {
        var page = await NewPageAsync();

        await LogInAsync(page, "alice", UiHtpasswdFixture.Password);

        await page.GotoAsync("#/repositories");
        await Expect(UiBrowseTests.Row(page, "other/secret")).ToBeVisibleAsync();
        await page.GotoAsync("#/r/team/api");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete tag v1", Exact = true })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LogOut_TheLoginButtonIsBack()
    {
        var page = await NewPageAsync();
        await LogInAsync(page, "bob", UiHtpasswdFixture.Password);
        await Expect(page.Locator("#user")).ToHaveTextAsync("bob");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true })).ToHaveCountAsync(0);
        var credentials = UiDelete.Basic("bob", UiHtpasswdFixture.Password).Parameter!;
        Assert.False(await page.EvaluateAsync<bool>("c => Object.keys(sessionStorage).some(k => (sessionStorage.getItem(k) ?? '').includes(c))", credentials),
            "the credentials are still in sessionStorage after logging out");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LogIn_WrongPassword_ShowsTheError()
    {
        var page = await NewPageAsync();
        var dialog = await OpenLoginAsync(page);
        await dialog.GetByLabel("User name").FillAsync("bob");
        await UiScreenshots.SaveAsync(page, "login");

        await dialog.GetByLabel("Password").FillAsync("not-the-password");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DeleteTag_BobWithTheUiHeader_403DeniedTagStays()
    {
        var bob = UiDelete.Basic("bob", UiHtpasswdFixture.Password);

        using var response = await UiDelete.TagAsync(fixture.Berth.BaseUri, "team/api", "v1", uiHeader: true, authorization: bob);

        await UiDelete.AssertDeniedAsync(response);
        Assert.Equal(HttpStatusCode.OK,
            await RegistryHttp.ManifestStatusAsync(fixture.Berth.BaseUri, "team/api", "v1", UiDelete.Basic("alice", UiHtpasswdFixture.Password)));
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await shared.Browser.NewContextAsync(fixture.Berth.BaseUri);
        return await context.NewPageAsync();
    }

    /// <summary>Opens the login dialog from the header, submits it and waits until the page is drawn for the user.</summary>
    private static async Task LogInAsync(IPage page, string user, string password)
    {
        var dialog = await OpenLoginAsync(page);
        await dialog.GetByLabel("User name").FillAsync(user);
        await dialog.GetByLabel("Password").FillAsync(password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        // A user reads the page the login redraws before moving on; the page draws concurrent routes in the
        // order their answers come, so navigating sooner may see the older route drawn last.
        await Expect(page.Locator("#user")).ToHaveTextAsync(user);
        await Expect(page.Locator("#status")).ToBeEmptyAsync();
    }

    private static async Task<ILocator> OpenLoginAsync(IPage page)
    {
        await page.GotoAsync("#/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        var dialog = page.Locator("dialog#login");
        await Expect(dialog).ToBeVisibleAsync();
        return dialog;
    }
}
