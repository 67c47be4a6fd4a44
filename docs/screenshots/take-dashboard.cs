#:package Microsoft.Playwright
// Playwright serializes with reflection, which a file-based app (AOT by default) turns off.
#:property PublishAot=false
// Logs in to the Aspire dashboard with the AppHost's login URL and screenshots its resources and metrics pages.
// Run by take-dashboard.sh: dotnet run take-dashboard.cs -- <login URL> <output folder>
using Microsoft.Playwright;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: take-dashboard.cs <dashboard login URL> <output folder>");
    return 2;
}

var login = new Uri(args[0]);
var output = args[1];
var dashboard = login.GetLeftPart(UriPartial.Authority);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    // Debian's chromium: Playwright's own browser download cannot work here.
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
context.SetDefaultTimeout(60_000);
var page = await context.NewPageAsync();

// The login URL sets the dashboard's cookie and lands on the resources page.
await page.GotoAsync(login.ToString());
await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
foreach (var resource in new[] { "cache", "salesforce", "authservice", "resourceservice" })
{
    await page.GetByText(resource, new() { Exact = true }).First.WaitForAsync();
}

// Wait until every resource shows as running and healthy, however long health checks take (bounded by the timeout).
await page.WaitForFunctionAsync("() => document.querySelectorAll('.fluent-data-grid-row').length >= 5 && !document.body.innerText.includes('Starting') && !document.body.innerText.includes('Unhealthy')");
await DismissCertificateBannerAsync(page);
await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "dashboard-resources.png") });

// The salesforce resource's menu: the emulator's commands (AppHost/SalesforceExtensions.cs).
await page.Locator(".fluent-data-grid-row", new() { HasText = "SalesforceEmulator.csproj" }).GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
await page.Locator("fluent-menu-item:visible", new() { HasText = "Commands" }).First.HoverAsync();
await page.GetByRole(AriaRole.Menuitem, new() { Name = "Make Salesforce fail", Exact = true }).WaitForAsync();
await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "dashboard-commands.png") });
await page.Keyboard.PressAsync("Escape");

await page.GotoAsync($"{dashboard}/metrics/resource/authservice?meter=SalesforceIdentity.AuthService&instrument=auth.token.validations&duration=1&view=Graph");
await page.GetByText("auth.token.validations").First.WaitForAsync();
await DismissCertificateBannerAsync(page);
// The chart draws after its data arrives: give it a moment to settle.
await page.WaitForTimeoutAsync(3000);
await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "dashboard-metrics.png") });

Console.WriteLine($"Saved dashboard-resources.png, dashboard-commands.png and dashboard-metrics.png to {output}");
return 0;

// Local runs have no HTTPS certificate on purpose (README: "no dev certificate"); the banner about it is noise here.
static async Task DismissCertificateBannerAsync(IPage page)
{
    var dismiss = page.Locator("fluent-button[aria-label='Dismiss notification']");
    if (await dismiss.CountAsync() > 0)
    {
        await dismiss.First.ClickAsync();
        await dismiss.First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 5000 });
    }
}
