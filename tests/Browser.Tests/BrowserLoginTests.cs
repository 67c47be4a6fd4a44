using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Browser.Tests;

/// <summary>A person in a real Chromium: the welcome page, Salesforce's login page, the callback page, then the API.</summary>
[Collection(BrowserApp.Name)]
public sealed partial class BrowserLoginTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task WelcomePageLoginGivesACodeWhoseCurlLineBuysATokenThatOpensSecured()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var auth = fixture.Endpoint("authservice");
        var emulator = fixture.Endpoint("salesforce");

        await page.GotoAsync(auth.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to the AuthService" })).ToBeVisibleAsync();
        await BrowserAppFixture.ScreenshotAsync(page, "1-welcome.png");

        await page.GetByRole(AriaRole.Link, new() { Name = "Log in with Salesforce" }).ClickAsync();
        await WaitForPageAsync(page, $"{emulator.GetLeftPart(UriPartial.Authority)}/services/oauth2/authorize");
        await page.GetByLabel("Username").FillAsync(EmulatorUser.Username);
        await page.GetByLabel("Password").FillAsync(EmulatorUser.Password);
        await BrowserAppFixture.ScreenshotAsync(page, "2-salesforce-login.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log In" }).ClickAsync();
        await WaitForPageAsync(page, $"{auth.GetLeftPart(UriPartial.Authority)}/oauth2/success");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Logged in with Salesforce" })).ToBeVisibleAsync();
        var code = (await page.Locator("#code").InnerTextAsync()).Trim();
        var curl = (await page.Locator("#curl").InnerTextAsync()).Trim();
        await BrowserAppFixture.ScreenshotAsync(page, "3-callback.png");

        // Run the curl line as written: its URL and its form field, nothing the test knows on the side.
        var match = CurlLine().Match(curl);
        Assert.True(match.Success, $"The callback page's curl line has an unexpected shape: {curl.Replace(code, "<code>", StringComparison.Ordinal)}");
        Assert.Equal(code, match.Groups["code"].Value);
        using var http = new HttpClient { Timeout = BrowserAppFixture.RequestTimeout };
        using var exchange = await http.PostAsync(new Uri(match.Groups["url"].Value), new FormUrlEncodedContent([KeyValuePair.Create("code", code)]));
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var accessToken = (await exchange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        Assert.False(string.IsNullOrEmpty(accessToken));

        using var resource = fixture.CreateClient("resourceservice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/secured");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var secured = await resource.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, secured.StatusCode);
        Assert.Contains("Accessing secured resource", await secured.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The same call from the browser, for the last screenshot: the token in a header, never in the URL.
        await using var apiContext = await fixture.NewContextAsync();
        await apiContext.SetExtraHTTPHeadersAsync([KeyValuePair.Create("Authorization", $"Bearer {accessToken}")]);
        var apiPage = await apiContext.NewPageAsync();
        var answer = await apiPage.GotoAsync(new Uri(fixture.Endpoint("resourceservice"), "/secured/me").ToString());
        Assert.Equal((int)HttpStatusCode.OK, answer?.Status);
        await Assertions.Expect(apiPage.Locator("body")).ToContainTextAsync(EmulatorUser.Username);
        await BrowserAppFixture.ScreenshotAsync(apiPage, "4-secured-me.png");
    }

    [Fact]
    public async Task WrongPasswordKeepsThePersonOnTheLoginPageWithAClearError()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var emulator = fixture.Endpoint("salesforce");

        await page.GotoAsync(new Uri(fixture.Endpoint("authservice"), "/oauth2/authorize").ToString());
        await page.GetByLabel("Username").FillAsync(EmulatorUser.Username);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log In" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("Please check your username and password.");
        Assert.StartsWith(emulator.GetLeftPart(UriPartial.Authority), page.Url, StringComparison.Ordinal);
        // The username stays, so the person retypes only the password.
        await Assertions.Expect(page.GetByLabel("Username")).ToHaveValueAsync(EmulatorUser.Username);
        await Assertions.Expect(page.GetByLabel("Password")).ToHaveValueAsync("");
        await BrowserAppFixture.ScreenshotAsync(page, "5-salesforce-login-error.png");
    }

    /// <summary>Waits for the browser to land on <paramref name="prefix"/>; on a timeout, says where it is and what it shows.</summary>
    private static async Task WaitForPageAsync(IPage page, string prefix)
    {
        try
        {
            await page.WaitForURLAsync(url => url.StartsWith(prefix, StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            // The query can hold the state or a code: name the page by its path only.
            var body = await page.Locator("body").InnerTextAsync(new() { Timeout = 5000 });
            throw new TimeoutException($"The browser never reached {prefix}; it shows {new Uri(page.Url).GetLeftPart(UriPartial.Path)}: {body[..Math.Min(body.Length, 300)]}");
        }
    }

    [GeneratedRegex("""^curl -X POST (?<url>https?://\S+/oauth2/token) --data-urlencode "code=(?<code>[^"]+)"$""")]
    private static partial Regex CurlLine();
}
