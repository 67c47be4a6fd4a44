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

    [Fact]
    public async Task OpenApiDocumentListsEveryRouteOfTheContractWithItsErrorsAndTheApiKeyScheme()
    {
        using var auth = fixture.CreateClient("authservice");

        var document = await auth.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        (string Path, string Method)[] contract =
        [
            ("/", "get"), ("/oauth2/authorize", "get"), ("/oauth2/success", "get"), ("/oauth2/token", "post"),
            ("/oauth2/login", "post"), ("/oauth2/login", "get"), ("/oauth2/refresh", "post"), ("/oauth2/revoke", "post"),
            ("/oauth2/introspect", "post"),
        ];
        foreach (var (path, method) in contract)
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method.ToUpperInvariant()} {path} is not documented");
        }

        var introspect = paths.GetProperty("/oauth2/introspect").GetProperty("post");
        Assert.True(introspect.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(introspect.GetProperty("responses").TryGetProperty("503", out _));
        Assert.Equal("InternalApiKey", introspect.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.Equal("X-Internal-Api-Key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("InternalApiKey").GetProperty("name").GetString());
    }

    [Fact]
    public async Task BrowsersSeeTheCodeAndACurlLineAfterTheCallback()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, cookie) = await AppLogin.LogInThroughEmulatorAsync(auth, emulator);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        fixture.RememberSecrets(code);
        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Accept", "text/html");

        using var response = await auth.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var html = await response.Content.ReadAsStringAsync();
        // The page shows the one-time handle, never Salesforce's code, and names the configured host in its curl line.
        Assert.DoesNotContain(code, html, StringComparison.Ordinal);
        Assert.DoesNotContain(System.Net.WebUtility.HtmlEncode(code), html, StringComparison.Ordinal);
        var handle = System.Text.RegularExpressions.Regex.Match(html, "<pre id=\"code\">(?<handle>[A-Za-z0-9_-]{43,})</pre>").Groups["handle"].Value;
        Assert.False(string.IsNullOrEmpty(handle), "The page shows no handle.");
        fixture.RememberSecrets(handle);
        Assert.Contains($"curl -X POST {fixture.App.GetEndpoint("authservice", "http").GetLeftPart(UriPartial.Authority)}/oauth2/token --data-urlencode &quot;code={handle}&quot;", html, StringComparison.Ordinal);
    }
}
