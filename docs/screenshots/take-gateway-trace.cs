#:package Microsoft.Playwright
// Playwright serializes with reflection, which a file-based app (AOT by default) turns off.
#:property PublishAot=false
// The gateway's hop in one trace (README, "Protect an API you cannot change"). With the AppHost running, send a token
// to http://localhost:5102/api/hello, take the trace id from the echo's "trace_id", then:
//   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 dotnet run docs/screenshots/take-gateway-trace.cs -- \
//     <dashboard login URL> <trace id> docs/screenshots/dashboard-gateway-trace.png
using Microsoft.Playwright;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: take-gateway-trace.cs <dashboard login URL> <trace id> <output png>");
    return 2;
}

var login = new Uri(args[0]);
var dashboard = login.GetLeftPart(UriPartial.Authority);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    // Debian's chromium: Playwright's own browser download cannot work here.
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu"],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
context.SetDefaultTimeout(60_000);
var page = await context.NewPageAsync();

// The login URL sets the dashboard's cookie; then the trace's own page, once the upstream's span is in.
await page.GotoAsync(login.ToString());
await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
await page.GotoAsync($"{dashboard}/traces/detail/{args[1]}");
await page.GetByText("sampleupstream").First.WaitForAsync();
await page.WaitForTimeoutAsync(2000);

// Local runs have no HTTPS certificate on purpose; the banner about it is noise here.
var dismiss = page.Locator("fluent-button[aria-label='Dismiss notification']");
if (await dismiss.CountAsync() > 0)
{
    await dismiss.First.ClickAsync();
    await page.WaitForTimeoutAsync(500);
}

await page.ScreenshotAsync(new PageScreenshotOptions { Path = args[2] });
Console.WriteLine($"Saved {args[2]}");
return 0;
