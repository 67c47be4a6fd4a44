using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace EndToEnd.Tests;

/// <summary>
/// Every kind of token Salesforce issues, as Salesforce answers for it: a password-grant token is a Session ID
/// that introspection calls inactive, accepted here because this AuthService obtained it; a token of another
/// connected app of the same org is refused whatever its kind and whether or not it is live.
/// </summary>
[Collection(SharedAspireApp.Name)]
public sealed class SalesforceTokenKindTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task PasswordGrantTokenOpensSecuredAndMeAndIsRefusedAfterRevokeWhileSalesforceCallsItInactive()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        using var auth = fixture.CreateClient("authservice");

        Assert.False(await SalesforceIntrospectsAsActiveAsync(token, "local-client-id", "local-client-secret"));
        using (var secured = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token)))
        {
            Assert.Equal(HttpStatusCode.OK, secured.StatusCode);
        }

        using (var me = await resource.SendAsync(ProtectedRouteTests.Get("/secured/me", token)))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            var body = await me.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("005", body.GetProperty("user_id").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("00D", body.GetProperty("organization_id").GetString(), StringComparison.Ordinal);
            Assert.Equal(EmulatorUser.Username, body.GetProperty("username").GetString());
        }

        using (var revoke = await auth.PostAsync("/oauth2/revoke", ProtectedRouteTests.Form(("token", token))))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await FirstRefusalAsync(resource, token));
    }

    [Fact]
    public async Task PasswordGrantTokenOfAnotherConnectedAppIsRefusedLiveOrRevokedAndUserInfoIsNeverAsked()
    {
        using var emulator = fixture.CreateClient("salesforce");
        using var resource = fixture.CreateClient("resourceservice");
        using var grant = await emulator.PostAsync("/services/oauth2/token", ProtectedRouteTests.Form(
            ("grant_type", "password"), ("username", EmulatorUser.Username), ("password", EmulatorUser.Password),
            ("client_id", OtherConnectedApp.ClientId), ("client_secret", OtherConnectedApp.ClientSecret)));
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        var token = (await grant.Content.ReadFromJsonAsync<TokenAnswer>())!.AccessToken!;
        fixture.RememberSecrets(token);
        var userInfoCalls = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo);

        using (var live = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, live.StatusCode);
        }

        using (var revoke = await emulator.PostAsync("/services/oauth2/revoke", ProtectedRouteTests.Form(("token", token))))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using (var revoked = await resource.SendAsync(ProtectedRouteTests.Get("/secured/me", token)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        // UserInfo would have vouched for the live one: it answers for any session of the org.
        Assert.Equal(userInfoCalls, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo));
    }

    [Fact]
    public async Task WebServerFlowTokenOfAnotherConnectedAppIsRefused()
    {
        using var emulator = fixture.CreateClient("salesforce");
        using var resource = fixture.CreateClient("resourceservice");
        var token = await OtherAppWebServerTokenAsync(emulator);
        Assert.True(await SalesforceIntrospectsAsActiveAsync(token, OtherConnectedApp.ClientId, OtherConnectedApp.ClientSecret));

        using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    /// <summary>The other app's own web-server flow at the emulator: its login page, its callback's code, its exchange.</summary>
    private async Task<string> OtherAppWebServerTokenAsync(HttpClient emulator)
    {
        var authorize = QueryHelpers.AddQueryString("/services/oauth2/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = OtherConnectedApp.ClientId,
            ["redirect_uri"] = OtherConnectedApp.CallbackUrl,
            ["scope"] = "api id",
        });
        using var page = await emulator.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = LoginForm.Parse(await page.Content.ReadAsStringAsync());
        using var credentials = form.WithCredentials(EmulatorUser.Username, EmulatorUser.Password);
        using var loggedIn = await emulator.PostAsync(form.Action, credentials);
        Assert.Equal(HttpStatusCode.Found, loggedIn.StatusCode);
        var code = QueryHelpers.ParseQuery(loggedIn.Headers.Location!.Query)["code"].ToString();

        using var exchange = await emulator.PostAsync("/services/oauth2/token", ProtectedRouteTests.Form(
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OtherConnectedApp.CallbackUrl),
            ("client_id", OtherConnectedApp.ClientId), ("client_secret", OtherConnectedApp.ClientSecret)));
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var token = (await exchange.Content.ReadFromJsonAsync<TokenAnswer>())!.AccessToken!;
        fixture.RememberSecrets(code, token);
        return token;
    }

    /// <summary>What Salesforce itself answers when the token's owner (or anyone) introspects it.</summary>
    private async Task<bool> SalesforceIntrospectsAsActiveAsync(string token, string clientId, string clientSecret)
    {
        using var emulator = fixture.CreateClient("salesforce");
        using var response = await emulator.PostAsync("/services/oauth2/introspect", ProtectedRouteTests.Form(
            ("token", token), ("client_id", clientId), ("client_secret", clientSecret)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean();
    }

    /// <summary>A revocation reaches the in-process caches over pub/sub a moment after the revoke answers.</summary>
    private static async Task<HttpStatusCode> FirstRefusalAsync(HttpClient resource, string token)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token), budget.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return response.StatusCode;
            }

            await Task.Delay(20, budget.Token);
        }
    }
}
