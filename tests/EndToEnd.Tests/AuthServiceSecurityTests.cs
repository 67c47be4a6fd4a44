using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using StackExchange.Redis;

namespace EndToEnd.Tests;

/// <summary>Checklist sections A and C as they concern the AuthService, through the real processes and the emulator.</summary>
[Collection(SharedAspireApp.Name)]
public sealed class AuthServiceSecurityTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task CodeInjectedIntoAnotherBrowsersCallbackIsRefusedBySalesforce()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (victimCallback, _) = await AppLogin.LogInThroughEmulatorAsync(auth, emulator);
        var stolenCode = QueryHelpers.ParseQuery(victimCallback.Query)["code"].ToString();
        fixture.RememberSecrets(stolenCode);

        // The attacker starts a login of their own and delivers the victim's code to their own callback.
        using var attackerAuthorize = await auth.GetAsync("/oauth2/authorize");
        var attackerCookie = attackerAuthorize.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var attackerState = QueryHelpers.ParseQuery(attackerAuthorize.Headers.Location!.Query)["state"].ToString();
        var injected = new Uri($"/oauth2/success?code={Uri.EscapeDataString(stolenCode)}&state={Uri.EscapeDataString(attackerState)}", UriKind.Relative);
        var code = await BrowserLogin.CallbackAsync(auth, injected, attackerCookie);
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);

        using var exchange = await auth.PostAsync("/oauth2/token", Form(("code", code)));

        // The exchange carries the attacker's verifier, which does not match the victim's challenge.
        Assert.Equal(HttpStatusCode.BadRequest, exchange.StatusCode);
        var error = await exchange.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.False(error.TryGetProperty("access_token", out _));
        Assert.Equal(tokenCallsBefore + 1, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }

    [Fact]
    public async Task ReplayedCodeIsRefusedWithoutASecondSalesforceCall()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, cookie) = await AppLogin.LogInThroughEmulatorAsync(auth, emulator);
        var code = await BrowserLogin.CallbackAsync(auth, callback, cookie);
        fixture.RememberSecrets(code);
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);

        using var first = await auth.PostAsync("/oauth2/token", Form(("code", code)));
        using var second = await auth.PostAsync("/oauth2/token", Form(("code", code)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        fixture.RememberSecrets((await first.Content.ReadFromJsonAsync<TokenAnswer>())?.AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // The handle was used up by the first exchange: the replay never reaches Salesforce.
        Assert.Equal(tokenCallsBefore + 1, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }

    [Fact]
    public async Task SalesforceErrorAtTheCallbackIsNotReflectedUnencodedAndNothingIsExchanged()
    {
        using var auth = fixture.CreateClient("authservice");
        using var authorize = await auth.GetAsync("/oauth2/authorize");
        var cookie = authorize.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var state = QueryHelpers.ParseQuery(authorize.Headers.Location!.Query)["state"].ToString();
        var tokenCallsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"/oauth2/success?error=access_denied&error_description={Uri.EscapeDataString("<script>alert(1)</script>")}&state={Uri.EscapeDataString(state)}");
        request.Headers.Add("Cookie", cookie);

        using var response = await auth.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("access_denied", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.Equal(tokenCallsBefore, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }

    [Fact]
    public async Task StateFromAnotherBrowsersCookieIsRefused()
    {
        using var auth = fixture.CreateClient("authservice");
        using var emulator = fixture.CreateClient("salesforce");
        var (callback, _) = await AppLogin.LogInThroughEmulatorAsync(auth, emulator);
        using var otherBrowser = await auth.GetAsync("/oauth2/authorize");
        var otherCookie = otherBrowser.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("Cookie", otherCookie);

        using var response = await auth.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task StateCookieIsHttpOnlyLaxAndScopedToTheSite()
    {
        using var auth = fixture.CreateClient("authservice");

        using var response = await auth.GetAsync("/oauth2/authorize");

        var cookie = response.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentRefreshesOfOneTokenMakeOneSalesforceCallAndAllGetTheAnswer()
    {
        var tokens = await AppLogin.GetTokensAsync(fixture);
        Assert.NotNull(tokens.RefreshToken);
        using var auth = fixture.CreateClient("authservice");
        var refreshesBefore = await CountGrantsAsync("refresh_token");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", tokens.RefreshToken!)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<TokenAnswer>())!;
        }));

        Assert.Single(answers.Select(a => a.AccessToken).Distinct());
        fixture.RememberSecrets(answers[0].AccessToken);
        Assert.Equal(refreshesBefore + 1, await CountGrantsAsync("refresh_token"));
    }

    [Fact]
    public async Task RefreshDuringASalesforceFaultIs503AndTheRefreshTokenStillWorksAfter()
    {
        var tokens = await AppLogin.GetTokensAsync(fixture);
        using var auth = fixture.CreateClient("authservice");

        await using (await EmulatorFault.StartAsync(fixture, new { latencyMs = 0, statusCode = 503, path = EmulatorPaths.Token, count = 1 }))
        {
            using var failed = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", tokens.RefreshToken!)));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        using var retried = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", tokens.RefreshToken!)));

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var refreshed = await retried.Content.ReadFromJsonAsync<TokenAnswer>();
        fixture.RememberSecrets(refreshed?.AccessToken, refreshed?.RefreshToken);
        Assert.NotNull(refreshed?.AccessToken);
        // Rotation is on in the local emulator: the answer carries the next refresh token.
        Assert.NotNull(refreshed?.RefreshToken);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
    }

    [Theory]
    [InlineData("returnUrl=https://evil.com")]
    [InlineData("rd=//evil.com/")]
    [InlineData("redirect_uri=https://evil.com/oauth2/success")]
    [InlineData("state=attacker-chosen")]
    public async Task AuthorizeTakesNoDestinationOrStateFromTheRequest(string query)
    {
        using var auth = fixture.CreateClient("authservice");

        using var response = await auth.GetAsync($"/oauth2/authorize?{query}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(fixture.App.GetEndpoint("salesforce", "http").Authority, location.Authority);
        var sent = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(new Uri(fixture.App.GetEndpoint("authservice", "http"), "/oauth2/success").ToString(), sent["redirect_uri"]);
        Assert.NotEqual("attacker-chosen", sent["state"].ToString());
        Assert.DoesNotContain("evil.com", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshWithAnUnknownTokenPassesInvalidGrantOnAs400()
    {
        using var auth = fixture.CreateClient("authservice");

        using var response = await auth.PostAsync("/oauth2/refresh", Form(("refresh_token", "5Aep861-not-a-real-refresh-token")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task RevokeIsPostOnlyAndAnswers200ForAnUnknownToken()
    {
        using var auth = fixture.CreateClient("authservice");

        using var get = await auth.GetAsync("/oauth2/revoke?token=anything");
        using var unknown = await auth.PostAsync("/oauth2/revoke", Form(("token", "00D000000000000!unknown")));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
    }

    [Fact]
    public async Task RevokedTokenIsRefusedByEveryInstanceDespiteTheirCaches()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        using var auth = fixture.CreateClient("authservice");
        // Several calls, so that both ResourceService instances (behind one proxy) hold the token in process.
        for (var i = 0; i < 6; i++)
        {
            using var before = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var revoke = await auth.PostAsync("/oauth2/revoke", Form(("token", token)));
        var checksAfterRevoke = await ValidationCallsAsync();
        var after = await StatusesUntilRefusedAsync(resource, token);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.All(after, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        // The AuthService answers from its revocation tombstone: Salesforce is not asked again.
        Assert.Equal(checksAfterRevoke, await ValidationCallsAsync());
    }

    [Fact]
    public async Task RevokingARefreshTokenRefusesItsAccessTokensDespiteTheCaches()
    {
        var tokens = await AppLogin.GetTokensAsync(fixture);
        using var resource = fixture.CreateClient("resourceservice");
        using var auth = fixture.CreateClient("authservice");
        for (var i = 0; i < 6; i++)
        {
            using var before = await resource.SendAsync(ProtectedRouteTests.Get("/secured", tokens.AccessToken!));
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var revoke = await auth.PostAsync("/oauth2/revoke", Form(("token", tokens.RefreshToken!)));
        var after = await StatusesUntilRefusedAsync(resource, tokens.AccessToken!);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.All(after, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
    }

    /// <summary>Every call the AuthService makes to Salesforce to check a token (introspection, UserInfo).</summary>
    private async Task<int> ValidationCallsAsync() =>
        await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Introspect) + await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo);

    /// <summary>
    /// Revocations reach the in-process caches over Redis pub/sub, a moment after the revoke answers:
    /// wait (bounded) for the first refusal, then take ten more answers, which reach both instances.
    /// </summary>
    private static async Task<IReadOnlyList<HttpStatusCode>> StatusesUntilRefusedAsync(HttpClient resource, string token)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token), budget.Token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                break;
            }

            await Task.Delay(20, budget.Token);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task FiftyConcurrentFirstRequestsWithOneTokenMakeOneValidationCall()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        var before = await ValidationCallsAsync();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        // One check of a password-grant token: one UserInfo call, and no introspection.
        Assert.Equal(before + 1, await ValidationCallsAsync());
    }

    [Fact]
    public async Task RedisHoldsNoRawTokenAndTokenKeysAreSha256Hashes()
    {
        var tokens = await AppLogin.GetTokensAsync(fixture);
        var passwordToken = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        using (await resource.SendAsync(ProtectedRouteTests.Get("/secured", tokens.AccessToken!)))
        using (await resource.SendAsync(ProtectedRouteTests.Get("/secured", passwordToken)))
        {
        }

        var connectionString = await fixture.App.GetConnectionStringAsync("cache");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var db = redis.GetDatabase();
        var keys = await server.KeysAsync(pattern: "*").ToListAsync();
        var secrets = fixture.Secrets.Distinct().ToArray();

        Assert.Contains(keys, k => System.Text.RegularExpressions.Regex.IsMatch(k.ToString(), "^v1:tok:[0-9a-f]{64}$"));
        foreach (var key in keys)
        {
            Assert.DoesNotContain(secrets, s => key.ToString().Contains(s, StringComparison.Ordinal));
            var type = await db.KeyTypeAsync(key);
            var values = type switch
            {
                RedisType.String => [(byte[])(await db.StringGetAsync(key))!],
                RedisType.Set => (await db.SetMembersAsync(key)).Select(v => (byte[])v!).ToArray(),
                RedisType.Hash => (await db.HashGetAllAsync(key)).Select(v => (byte[])v.Value!).ToArray(),
                _ => [],
            };
            foreach (var value in values)
            {
                var text = System.Text.Encoding.UTF8.GetString(value);
                Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
            }
        }
    }

    private async Task<int> CountGrantsAsync(string grantType)
    {
        using var emulator = fixture.CreateClient("salesforce");
        var requests = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/requests");
        return requests.EnumerateArray().Count(r => r.GetProperty("grantType").GetString() == grantType);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => ProtectedRouteTests.Form(fields);
}
