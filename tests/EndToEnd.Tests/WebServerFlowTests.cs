using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace EndToEnd.Tests;

[Collection(SharedAspireApp.Name)]
public sealed class WebServerFlowTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task WebServerFlowYieldsATokenThatOpensSecured()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        using var resource = fixture.CreateClient("resourceservice");

        var (callback, cookie) = await AppLogin.LogInThroughEmulatorAsync(auth, emulator);
        using var callbackRequest = new HttpRequestMessage(HttpMethod.Get, callback);
        callbackRequest.Headers.Add("Cookie", cookie);
        using var callbackResponse = await auth.SendAsync(callbackRequest);
        Assert.Equal(HttpStatusCode.OK, callbackResponse.StatusCode);
        Assert.Contains("no-store", callbackResponse.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", Assert.Single(callbackResponse.Headers.GetValues("Referrer-Policy")));
        var code = (await callbackResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        using var exchange = await auth.PostAsync($"/oauth2/token?code={Uri.EscapeDataString(code)}", null);
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var token = await exchange.Content.ReadFromJsonAsync<TokenAnswer>();
        Assert.NotNull(token?.AccessToken);
        Assert.Equal("Bearer", token.TokenType);

        using var secured = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token.AccessToken));
        Assert.Equal(HttpStatusCode.OK, secured.StatusCode);
        Assert.Contains("Accessing secured resource", await secured.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AuthorizeRedirectsToSalesforceWithStateAndS256Challenge()
    {
        using var auth = fixture.CreateClient("authservice");

        using var response = await auth.GetAsync("/oauth2/authorize");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(fixture.App.GetEndpoint("salesforce", "http").Authority, location.Authority);
        Assert.Equal("/services/oauth2/authorize", location.AbsolutePath);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.True(query["state"].ToString().Length >= 22, "state carries at least 128 bits");
        Assert.Equal(new Uri(fixture.App.GetEndpoint("authservice", "http"), "/oauth2/success").ToString(), query["redirect_uri"]);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ReplayedCallbackIsRefusedAndTheCodeIsNotExchanged()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, cookie) = await AppLogin.LogInThroughEmulatorAsync(auth, emulator);

        using var first = new HttpRequestMessage(HttpMethod.Get, callback);
        first.Headers.Add("Cookie", cookie);
        using var firstResponse = await auth.SendAsync(first);
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);
        using var replay = new HttpRequestMessage(HttpMethod.Get, callback);
        replay.Headers.Add("Cookie", cookie);
        using var replayResponse = await auth.SendAsync(replay);

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replayResponse.StatusCode);
        var error = await replayResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.Equal(tokenCallsBefore, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }

    [Fact]
    public async Task CallbackWithoutTheBrowsersStateCookieIsRefused()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, _) = await AppLogin.LogInThroughEmulatorAsync(auth, emulator);
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();

        using var response = await auth.GetAsync(callback);
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);
        using var exchange = await auth.PostAsync($"/oauth2/token?code={Uri.EscapeDataString(code)}", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("invalid_request", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain(code, body, StringComparison.Ordinal);
        // The refused callback issued no handle, and Salesforce's own code is never redeemable here.
        Assert.Equal(HttpStatusCode.BadRequest, exchange.StatusCode);
        Assert.Equal("invalid_grant", (await exchange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(tokenCallsBefore, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }
}
