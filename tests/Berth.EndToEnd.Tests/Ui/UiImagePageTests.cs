using System.Text.RegularExpressions;
using Berth.TestKit;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>The image page: what an image is made of, how to pull it, what refers to it, and artifacts.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiImagePageTests(UiRegistryFixture fixture)
{
    [Fact]
    public async Task Image_ByTag_ShowsLayersConfigurationAndHistory()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("#/i/apps/web:1.2.3");

        await Expect(page.Locator("h1")).ToHaveTextAsync("apps/web:1.2.3");
        await Expect(page.Locator("table#layers tbody tr")).ToHaveCountAsync(2);
        await Expect(ConfigValue(page, "OS")).ToContainTextAsync("linux");
        await Expect(ConfigValue(page, "Architecture")).ToContainTextAsync("amd64");
        await Expect(ConfigValue(page, "Entrypoint")).ToContainTextAsync("/usr/bin/web");
        await Expect(ConfigValue(page, "Command")).ToContainTextAsync("--port");
        await Expect(ConfigValue(page, "Environment")).ToContainTextAsync("WEB_MODE=production");
        await Expect(ConfigValue(page, "Exposed ports")).ToContainTextAsync("8080/tcp");
        await Expect(ConfigValue(page, "Working directory")).ToContainTextAsync("/srv/web");
        await Expect(ConfigValue(page, "User")).ToContainTextAsync("web");
        await Expect(ConfigValue(page, "Labels")).ToContainTextAsync("web 1.2.3");
        await Expect(page.Locator("ol#history li")).ToHaveCountAsync(3);
        await Expect(page.Locator("ol#history")).ToContainTextAsync("COPY web /usr/bin/web");
        await Expect(page.Locator("pre#manifest-json")).ToContainTextAsync(OciImageLayout.DigestOf(fixture.Web.Blobs[0]));
        await Expect(page.Locator("pre#config-json")).ToContainTextAsync("WEB_MODE=production");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PullCommands_ClickCopy_PutsTheDockerPullCommandOnTheClipboard()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/i/apps/web:1.2.3");
        var byTag = $"docker pull {fixture.Berth.HostPort}/apps/web:1.2.3";
        await Expect(page.Locator("#pull-commands code", new() { HasTextString = byTag })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy docker pull by tag" }).ClickAsync();

        Assert.Equal(byTag, await ClipboardAfterCopyAsync(page, ""));
        var byDigest = $"docker pull {fixture.Berth.HostPort}/apps/web@{fixture.Web.Digest}";
        await page.GetByRole(AriaRole.Button, new() { Name = "By digest", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy docker pull by digest" }).ClickAsync();
        Assert.Equal(byDigest, await ClipboardAfterCopyAsync(page, byTag));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Referrers_SignatureAndSbom_GroupedAndOpenable()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/i/apps/web:1.2.3");
        var signatures = Group(page, UiSamples.SignatureType);
        var sboms = Group(page, UiSamples.SbomType);
        await Expect(signatures.Locator("h3")).ToHaveTextAsync(new Regex("Signature"));
        await Expect(sboms.Locator("h3")).ToHaveTextAsync(new Regex("SBOM"));
        await Expect(sboms.Locator("a")).ToHaveCountAsync(1);
        // The innermost section under the "Referrers" heading: the groups with their heading.
        var section = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Referrers", Exact = true }) }).Last;
        await UiScreenshots.SaveAsync(page, "referrers", section);

        await signatures.Locator("a").First.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("apps/web@" + fixture.Signature.Digest);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task MultiArchImage_PlatformRows_LeadToEachChild()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/i/apps/multi:v1");
        var rows = page.Locator("table#platforms tbody tr");
        await Expect(rows).ToHaveCountAsync(2);

        await rows.Filter(new() { HasTextString = "arm64" }).GetByRole(AriaRole.Link).First.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("apps/multi@" + fixture.Multi.Images["arm64"].ManifestDigest);
        await Expect(ConfigValue(page, "Architecture")).ToContainTextAsync("arm64");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HelmChart_ShownAsHelmChartWithItsConfig()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("#/i/charts/mychart:0.1.0");

        await Expect(page.Locator("#artifact-kind")).ToContainTextAsync("Helm chart");
        await Expect(page.Locator("pre#config-json")).ToContainTextAsync("\"mychart\"");
        await page.Context.CloseAsync();
    }

    /// <summary>The clipboard once the page has replaced <paramref name="before"/>: it writes it asynchronously after the click.</summary>
    private static async Task<string> ClipboardAfterCopyAsync(IPage page, string before)
    {
        var copied = before;
        await Readiness.WaitUntilAsync(async () => (copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()")) != before,
            TimeSpan.FromSeconds(20), "the clipboard to be written", TestContext.Current.CancellationToken);
        return copied;
    }

    internal static ILocator ConfigValue(IPage page, string term) => page.Locator($"dl#config dt:text-is('{term}') + dd");

    private static ILocator Group(IPage page, string artifactType) =>
        page.Locator($"#referrers section.artifact-group[data-artifact-type='{artifactType}']");
}
