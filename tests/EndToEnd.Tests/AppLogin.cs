using System.Net;
using System.Net.Http.Json;

namespace EndToEnd.Tests;

/// <summary>The shared browser login against the Aspire app: it must come back to the AuthService it started at.</summary>
public static class AppLogin
{
    /// <summary><see cref="BrowserLogin.LogInThroughEmulatorAsync"/>, and the callback names <paramref name="auth"/>.</summary>
    public static async Task<(Uri Callback, string Cookie)> LogInThroughEmulatorAsync(HttpClient auth, HttpClient emulator)
    {
        var (callback, cookie) = await BrowserLogin.LogInThroughEmulatorAsync(auth, emulator);
        Assert.Equal(auth.BaseAddress!.Authority, callback.Authority);
        return (callback, cookie);
    }

    /// <summary>The whole flow, up to the code exchange: tokens with a refresh token.</summary>
    public static async Task<TokenAnswer> GetTokensAsync(AspireAppFixture fixture)
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, cookie) = await LogInThroughEmulatorAsync(auth, emulator);
        var code = await BrowserLogin.CallbackAsync(auth, callback, cookie);
        using var exchange = await auth.PostAsync("/oauth2/token", new FormUrlEncodedContent([KeyValuePair.Create("code", code)]));
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var tokens = (await exchange.Content.ReadFromJsonAsync<TokenAnswer>())!;
        fixture.RememberSecrets(code, tokens.AccessToken, tokens.RefreshToken);
        return tokens;
    }
}
