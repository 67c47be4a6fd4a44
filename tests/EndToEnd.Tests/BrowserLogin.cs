using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>Plays the browser through the web-server flow: the AuthService, the emulator's login page, the callback.</summary>
public static class BrowserLogin
{
    /// <summary>
    /// <c>/oauth2/authorize</c>, the emulator's login page and its form post. Returns the callback URL
    /// Salesforce redirected to and the state cookie the AuthService set.
    /// </summary>
    public static async Task<(Uri Callback, string Cookie)> LogInThroughEmulatorAsync(HttpClient auth, HttpClient emulator)
    {
        using var authorize = await auth.GetAsync("/oauth2/authorize");
        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var cookie = authorize.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var loginPage = await emulator.GetAsync(authorize.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var form = LoginForm.Parse(await loginPage.Content.ReadAsStringAsync());

        using var content = form.WithCredentials(EmulatorUser.Username, EmulatorUser.Password);
        using var loggedIn = await emulator.PostAsync(form.Action, content);
        Assert.Equal(HttpStatusCode.Found, loggedIn.StatusCode);
        var callback = loggedIn.Headers.Location!;
        Assert.Equal("/oauth2/success", callback.AbsolutePath);
        Assert.Equal(auth.BaseAddress!.Authority, callback.Authority);
        return (callback, cookie);
    }

    /// <summary>Follows the callback with the browser's cookie and returns the code it answers.</summary>
    public static async Task<string> CallbackAsync(HttpClient auth, Uri callback, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("Cookie", cookie);
        using var response = await auth.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    /// <summary>The whole flow, up to the code exchange: tokens with a refresh token.</summary>
    public static async Task<TokenAnswer> GetTokensAsync(AspireAppFixture fixture)
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, cookie) = await LogInThroughEmulatorAsync(auth, emulator);
        var code = await CallbackAsync(auth, callback, cookie);
        using var exchange = await auth.PostAsync("/oauth2/token", new FormUrlEncodedContent([KeyValuePair.Create("code", code)]));
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var tokens = (await exchange.Content.ReadFromJsonAsync<TokenAnswer>())!;
        fixture.RememberSecrets(code, tokens.AccessToken, tokens.RefreshToken);
        return tokens;
    }
}
