using System.Net;
using System.Web;

namespace SalesforceEmulator.Tests;

public sealed class AuthorizationCodeGrantTests
{
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-emulator-test";

    [Fact]
    public async Task LoginFormRedirectsToCallbackWithCodeAndState()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(state: "s t&a=te"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("http://localhost:5101/oauth2/success", location.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(["code", "state"], query.AllKeys.Order(StringComparer.Ordinal));
        Assert.Equal("s t&a=te", query["state"]);
        Assert.StartsWith("aPrx", query["code"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeSurvivesTheQueryStringUnchanged()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl());

        var raw = response.Headers.Location!.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("code=", StringComparison.Ordinal))["code=".Length..];
        Assert.Equal(raw, Uri.UnescapeDataString(raw));
    }

    [Fact]
    public async Task CodeExchangeReturnsRefreshTokenWhenScopeAsksForOne()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, scope: "api refresh_token");
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(["access_token", "id", "instance_url", "issued_at", "refresh_token", "scope", "signature", "token_type"], Salesforce.Names(body));
        Assert.Equal("api refresh_token", body.GetProperty("scope").GetString());
        Assert.StartsWith("5Aep861", body.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            Salesforce.ExpectedSignature(Salesforce.ClientSecret, body.GetProperty("id").GetString()!, body.GetProperty("issued_at").GetString()!),
            body.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task OfflineAccessScopeAlsoGivesARefreshToken()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, scope: "api offline_access");
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);

        Assert.True((await Salesforce.JsonAsync(response)).TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task CodeExchangeWithoutRefreshScopeReturnsNoRefreshToken()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, scope: "api id");
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);

        var body = await Salesforce.JsonAsync(response);
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.False(body.TryGetProperty("expires_in", out _));
        Assert.Equal("api id", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task CodeIsSingleUse()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser);
        using var first = await Salesforce.ExchangeCodeAsync(browser, code);
        using var second = await Salesforce.ExchangeCodeAsync(browser, code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Salesforce.AssertOAuthErrorAsync(second, "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task CodeExpiresAfterFifteenMinutes()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var fresh = await Salesforce.CodeAsync(browser);
        var stale = await Salesforce.CodeAsync(browser);
        factory.Time.Advance(TimeSpan.FromMinutes(14));
        using var inTime = await Salesforce.ExchangeCodeAsync(browser, fresh);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        using var late = await Salesforce.ExchangeCodeAsync(browser, stale);

        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        await Salesforce.AssertOAuthErrorAsync(late, "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task UnknownCodeIsAnExpiredAuthorizationCode()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await Salesforce.ExchangeCodeAsync(client, "aPrxNotAnIssuedCode");

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task RedirectUriMustMatchTheOneUsedAtAuthorize()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser);
        using var response = await Salesforce.ExchangeCodeAsync(browser, code, redirectUri: "http://localhost:5101/other");

        await Salesforce.AssertOAuthErrorAsync(response, "redirect_uri_mismatch", "redirect_uri must match configuration");
    }

    [Fact]
    public async Task CodeIsBoundToTheClientItWasIssuedTo()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = "other-app",
            ["Emulator:Apps:0:ClientSecret"] = "other-secret",
            ["Emulator:Apps:0:CallbackUrls:0"] = Salesforce.Callback,
        });
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser);
        using var response = await Salesforce.ExchangeCodeAsync(browser, code, clientId: "other-app", clientSecret: "other-secret");

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task WrongClientSecretAtExchangeIsInvalidClient()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser);
        using var response = await Salesforce.ExchangeCodeAsync(browser, code, clientSecret: "wrong");

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client", "invalid client credentials");
    }

    [Theory]
    [InlineData("S256")]
    [InlineData("plain")]
    public async Task PkceVerifierMatchingTheChallengeIsAccepted(string method)
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, challenge: method == "S256" ? Salesforce.S256(Verifier) : Verifier, method: method);
        using var response = await Salesforce.ExchangeCodeAsync(browser, code, verifier: Verifier);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PkceMismatchedVerifierIsInvalidRequest()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, challenge: Salesforce.S256(Verifier), method: "S256");
        using var response = await Salesforce.ExchangeCodeAsync(browser, code, verifier: Verifier + "x");

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_request", "invalid code verifier");
    }

    [Fact]
    public async Task PkceChallengeWithoutVerifierIsInvalidGrant()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, challenge: Salesforce.S256(Verifier), method: "S256");
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "invalid code verifier");
    }

    [Fact]
    public async Task CodeRemembersTheLoginHost()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser("http://127.0.0.1:5100");
        var code = await Salesforce.CodeAsync(browser);
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);

        var body = await Salesforce.JsonAsync(response);
        Assert.StartsWith("http://127.0.0.1:5100/id/", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:5100", body.GetProperty("instance_url").GetString());
    }
}
