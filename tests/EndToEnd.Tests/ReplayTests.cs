using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace EndToEnd.Tests;

/// <summary>
/// Issue 14, items 1 and 2, against the emulator (refresh-token rotation on, as the AppHost runs it): only the
/// handle the callback answered buys tokens, once; a refresh answer is shared only while calls overlap, and a
/// later replay or a refresh after a revoke reaches Salesforce, which refuses it.
/// </summary>
[Collection(SharedAspireApp.Name)]
public sealed class ReplayTests(AspireAppFixture fixture)
{
    /// <summary>RefreshCoordinator.ShareWindow (5 s) and a margin: a replay after this is no concurrent refresh.</summary>
    private static readonly TimeSpan PastTheShareWindow = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task SalesforcesCodeFromTheCallbackUrlBuysNothingAndIsNeverSentToSalesforce()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, cookie) = await BrowserLogin.LogInThroughEmulatorAsync(auth, emulator);
        var salesforceCode = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        var handle = await BrowserLogin.CallbackAsync(auth, callback, cookie);
        fixture.RememberSecrets(salesforceCode, handle);
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);

        // What browser history or a proxy log shows: the callback URL with Salesforce's own code.
        using var stolen = await auth.PostAsync("/oauth2/token", Form(("code", salesforceCode)));
        var tokenCallsAfterStolen = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);
        using var owner = await auth.PostAsync("/oauth2/token", Form(("code", handle)));

        Assert.NotEqual(salesforceCode, handle);
        await AssertInvalidGrantAsync(stolen);
        Assert.Equal(tokenCallsBefore, tokenCallsAfterStolen);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        fixture.RememberSecrets((await owner.Content.ReadFromJsonAsync<TokenAnswer>())?.AccessToken);
    }

    [Fact]
    public async Task CodeMintedAtSalesforceOutsideOurFlowIsRefusedWithoutAskingSalesforce()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        // Someone logs in at Salesforce directly, for our connected app and our callback, with no state and no PKCE of ours.
        var authorize = QueryHelpers.AddQueryString("/services/oauth2/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = "local-client-id",
            ["redirect_uri"] = new Uri(fixture.App.GetEndpoint("authservice", "http"), "/oauth2/success").ToString(),
            ["state"] = "their-own-state",
        });
        using var loginPage = await emulator.GetAsync(authorize);
        var form = LoginForm.Parse(await loginPage.Content.ReadAsStringAsync());
        using var credentials = form.WithCredentials(EmulatorUser.Username, EmulatorUser.Password);
        using var loggedIn = await emulator.PostAsync(form.Action, credentials);
        Assert.Equal(HttpStatusCode.Found, loggedIn.StatusCode);
        var code = QueryHelpers.ParseQuery(loggedIn.Headers.Location!.Query)["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code), "The emulator issued no code.");
        fixture.RememberSecrets(code);
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);

        using var exchange = await auth.PostAsync($"/oauth2/token?code={Uri.EscapeDataString(code)}", null);

        await AssertInvalidGrantAsync(exchange);
        Assert.Equal(tokenCallsBefore, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }

    [Fact]
    public async Task RotatedRefreshTokenReplayedAfterTheWindowReachesSalesforceWhichRefusesIt()
    {
        var tokens = await AppLogin.GetTokensAsync(fixture);
        using var auth = fixture.CreateClient("authservice");
        var refreshesBefore = await CountRefreshGrantsAsync();
        using var refresh = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", tokens.RefreshToken!)));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var rotated = (await refresh.Content.ReadFromJsonAsync<TokenAnswer>())!;
        fixture.RememberSecrets(rotated.AccessToken, rotated.RefreshToken);
        Assert.NotEqual(tokens.RefreshToken, rotated.RefreshToken);

        await Task.Delay(PastTheShareWindow);
        using var replay = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", tokens.RefreshToken!)));
        using var afterReuse = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", rotated.RefreshToken!)));

        await AssertInvalidGrantAsync(replay);
        // Salesforce saw the reuse and revoked the whole family, the rotated token with it.
        await AssertInvalidGrantAsync(afterReuse);
        Assert.Equal(refreshesBefore + 3, await CountRefreshGrantsAsync());
    }

    [Fact]
    public async Task RevokedRefreshTokenIsRefusedBySalesforceNotAnsweredFromTheSharedAnswer()
    {
        var tokens = await AppLogin.GetTokensAsync(fixture);
        using var auth = fixture.CreateClient("authservice");
        using var refresh = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", tokens.RefreshToken!)));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var rotated = (await refresh.Content.ReadFromJsonAsync<TokenAnswer>())!;
        fixture.RememberSecrets(rotated.AccessToken, rotated.RefreshToken);
        var refreshesBefore = await CountRefreshGrantsAsync();

        // At once, well inside the window in which the answer above is shared.
        using var revoke = await auth.PostAsync("/oauth2/revoke", Form(("token", tokens.RefreshToken!)));
        using var afterRevoke = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", tokens.RefreshToken!)));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await AssertInvalidGrantAsync(afterRevoke);
        Assert.Equal(refreshesBefore + 1, await CountRefreshGrantsAsync());
    }

    private static async Task AssertInvalidGrantAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.False(error.TryGetProperty("access_token", out _));
    }

    private async Task<int> CountRefreshGrantsAsync()
    {
        using var emulator = fixture.CreateClient("salesforce");
        var requests = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/requests");
        return requests.EnumerateArray().Count(r => r.GetProperty("grantType").GetString() == "refresh_token");
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => ProtectedRouteTests.Form(fields);
}
