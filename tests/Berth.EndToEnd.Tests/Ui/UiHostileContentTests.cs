using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>What a pusher writes into labels and annotations is shown as text; the page runs only its own script.</summary>
[Collection(UiTestGroup.Name)]
public sealed class UiHostileContentTests(UiRegistryFixture fixture)
{
    /// <summary>Every directive of the contract's policy.</summary>
    private static readonly string[] PolicyDirectives =
    [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ];

    [Fact]
    public async Task HostileLabels_RenderedAsTextNeverRun()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("#/i/hostile/app:v1");

        await Expect(UiImagePageTests.ConfigValue(page, "Labels")).ToContainTextAsync(UiSamples.ScriptLabel);
        await Expect(UiImagePageTests.ConfigValue(page, "Labels")).ToContainTextAsync(UiSamples.JavascriptUrl);
        await Expect(page.Locator("dl#annotations")).ToContainTextAsync(UiSamples.ScriptLabel);
        await Expect(page.Locator("ol#history")).ToContainTextAsync(UiSamples.ScriptLabel);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        Assert.Equal(0, await JavascriptLinkCountAsync(page));
        await page.GotoAsync("#/r/hostile/app");
        await Expect(page.Locator("table#images tr[data-digest]")).ToHaveCountAsync(1);
        Assert.Equal(0, await JavascriptLinkCountAsync(page));
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PageResponse_CarriesTheStrictPolicyHeaders()
    {
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync("#/");

        Assert.NotNull(response);
        var headers = await response.AllHeadersAsync();
        Assert.True(headers.TryGetValue("content-security-policy", out var policy), "no Content-Security-Policy on the page");
        foreach (var directive in PolicyDirectives)
        {
            Assert.Contains(directive, policy, StringComparison.Ordinal);
        }

        Assert.Equal("nosniff", headers.GetValueOrDefault("x-content-type-options"));
        Assert.Equal("no-referrer", headers.GetValueOrDefault("referrer-policy"));
        await page.Context.CloseAsync();
    }

    /// <summary>Elements whose href (or src, action, formaction) starts with javascript:, in any case or spacing.</summary>
    private static Task<int> JavascriptLinkCountAsync(IPage page) => page.EvaluateAsync<int>("""
        () => [...document.querySelectorAll('[href], [src], [action], [formaction]')]
          .flatMap(e => ['href', 'src', 'action', 'formaction'].map(a => e.getAttribute(a)))
          .filter(v => v !== null && v.replace(/[\s\u0000-\u001f]/g, '').toLowerCase().startsWith('javascript:'))
          .length
        """);
}
