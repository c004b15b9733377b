using Microsoft.Playwright;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// Playwright driving Debian's chromium (headless). No browser is ever downloaded: the executable is the system's
/// (<c>/usr/bin/chromium</c>, or BERTH_CHROMIUM), which scripts/test.sh installs. Dispose closes the browser and
/// stops Playwright's driver process.
/// </summary>
public sealed class UiBrowser : IAsyncDisposable
{
    /// <summary>Generous: the machine is small and shared; expectations return as soon as they hold.</summary>
    public const float ExpectTimeoutMs = 20_000;

    private readonly IPlaywright _playwright;

    private UiBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("BERTH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<UiBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"no chromium at {ExecutablePath}: install Debian's chromium (scripts/test.sh does)");
        }

        // Belt and braces: the driver must not look for (or fetch) its own browser builds.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // Chromium refuses to start its sandbox as root (CI runs the tests as root); a normal user keeps it.
                Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
                Timeout = 60_000,
            });
            return new UiBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh context (its own sessionStorage and cache) at 1280x800 that may read the clipboard.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseUri)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUri.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(ExpectTimeoutMs);
        context.SetDefaultNavigationTimeout(60_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
