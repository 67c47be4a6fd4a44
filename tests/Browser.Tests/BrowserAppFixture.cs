using Aspire.Hosting;
using Microsoft.Playwright;

namespace Browser.Tests;

/// <summary>
/// One Aspire app (the real AppHost, every process, the emulator) and one headless Chromium for the whole
/// collection: starting the app costs ~10 s and the browser ~1 s, so tests share both. The browser is
/// Debian's <c>chromium</c>, driven by Playwright: Playwright's own browser download cannot work here.
/// </summary>
public sealed class BrowserAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Debian's package; CI installs it when missing.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private DistributedApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>
    /// Where the screenshots go: the test output folder, or, with <c>UPDATE_SCREENSHOTS=1</c>,
    /// <c>docs/screenshots/</c> of the repository that the README shows (so a plain test run leaves the tree clean).
    /// </summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(Repository.Root, "docs", "screenshots")
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // Fail loudly, never skip: a missing browser must not turn the browser test green.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}: run 'apt-get install -y chromium' (Debian's package). The browser tests never download a browser of their own.");
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>().WaitAsync(StartTimeout);
        _app = await builder.BuildAsync().WaitAsync(StartTimeout);
        await _app.StartAsync().WaitAsync(StartTimeout);
        foreach (var resource in new[] { "cache", "salesforce", "authservice", "resourceservice" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        }

        _playwright = await Playwright.CreateAsync().WaitAsync(StartTimeout);
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Playwright gives every launch a fresh temporary user-data-dir; the rest keeps Chromium off the network.
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
            Timeout = (float)StartTimeout.TotalMilliseconds,
        }).WaitAsync(StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A browser context of its own (cookies, storage) with a small viewport, so screenshots stay small.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 900, Height = 560 } });
        context.SetDefaultTimeout((float)RequestTimeout.TotalMilliseconds);
        return context;
    }

    public Uri Endpoint(string resource) => App.GetEndpoint(resource, "http");

    /// <summary>A client that follows no redirect and keeps no cookie: the tests see every hop.</summary>
    public HttpClient CreateClient(string resource) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = Endpoint(resource),
            Timeout = RequestTimeout,
        };

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name), Type = ScreenshotType.Png });
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserApp : ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "Browser and Aspire app";
}
