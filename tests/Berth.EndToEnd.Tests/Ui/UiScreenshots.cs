using Microsoft.Playwright;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// Screenshots of the pages, kept as test artifacts: in BERTH_UI_SCREENSHOTS when set, else in
/// <c>TestResults/ui-screenshots/</c> under the working folder. A human looks at them; no test compares pixels.
/// </summary>
internal static class UiScreenshots
{
    public static string Folder => Environment.GetEnvironmentVariable("BERTH_UI_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Directory.GetCurrentDirectory(), "TestResults", "ui-screenshots");

    /// <summary>Saves the visible page (or <paramref name="element"/> alone) as <c>ui-NAME.png</c>.</summary>
    public static async Task SaveAsync(IPage page, string name, ILocator? element = null)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"ui-{name}.png");
        if (element is null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        }
        else
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }

        TestContext.Current.TestOutputHelper?.WriteLine("screenshot: " + path);
    }
}
