#:package Microsoft.Playwright
#:property PublishAot=false
// The gateway hop in one trace (README, "Protect an API you cannot change"): with the AppHost running, send a token to
// http://localhost:5102/api/hello, read the trace id from the echo's "trace_id", then:
//   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 dotnet run docs/screenshots/take-gateway-trace.cs -- <dashboard login URL> <trace id> docs/screenshots/dashboard-gateway-trace.png
using Microsoft.Playwright;
var login = new Uri(args[0]); var traceId = args[1]; var output = args[2];
var dashboard = login.GetLeftPart(UriPartial.Authority);
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--headless", "--no-sandbox", "--disable-gpu"] });
var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
context.SetDefaultTimeout(60_000);
var page = await context.NewPageAsync();
await page.GotoAsync(login.ToString());
await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
await page.GotoAsync($"{dashboard}/traces/detail/{traceId}");
await page.GetByText("sampleupstream").First.WaitForAsync();
await page.WaitForTimeoutAsync(2000);
var dismiss = page.Locator("fluent-button[aria-label='Dismiss notification']");
if (await dismiss.CountAsync() > 0) { await dismiss.First.ClickAsync(); await page.WaitForTimeoutAsync(500); }
await page.ScreenshotAsync(new PageScreenshotOptions { Path = output });
