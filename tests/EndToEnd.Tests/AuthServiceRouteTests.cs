using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

[Collection(SharedAspireApp.Name)]
public sealed class AuthServiceRouteTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task WelcomeIsTextForCurlAndHtmlForBrowsers()
    {
        using var auth = fixture.CreateClient("authservice");
        using var browserRequest = new HttpRequestMessage(HttpMethod.Get, "/");
        browserRequest.Headers.Add("Accept", "text/html,application/xhtml+xml");

        using var text = await auth.GetAsync("/");
        using var html = await auth.SendAsync(browserRequest);

        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.StartsWith("Welcome", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("href=\"/oauth2/authorize\"", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordPassesSalesforcesErrorOnAs400()
    {
        using var auth = fixture.CreateClient("authservice");

        using var response = await auth.PostAsync("/oauth2/login", ProtectedRouteTests.Form(("username", EmulatorUser.Username), ("password", "wrong-password")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.Equal("authentication failure", error.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task DemoQueryLoginWorksInLocalModeAgainstTheEmulator()
    {
        using var auth = fixture.CreateClient("authservice");

        using var response = await auth.GetAsync($"/oauth2/login?username={Uri.EscapeDataString(EmulatorUser.Username)}&password={EmulatorUser.Password}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.Content.ReadFromJsonAsync<TokenAnswer>();
        Assert.StartsWith("00D", token?.AccessToken, StringComparison.Ordinal);
        Assert.Null(token?.RefreshToken);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenExchangeWithoutACodeIsABadRequest()
    {
        using var auth = fixture.CreateClient("authservice");
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);

        using var response = await auth.PostAsync("/oauth2/token", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(tokenCallsBefore, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }
}
