using System.Net;
using System.Text.Json;

namespace SalesforceEmulator.Tests;

public sealed class IntrospectionTests
{
    private static readonly Dictionary<string, string?> TwoApps = new()
    {
        ["Emulator:Apps:0:ClientId"] = "other-app",
        ["Emulator:Apps:0:ClientSecret"] = "other-secret",
        ["Emulator:Apps:1:ClientId"] = "auditor",
        ["Emulator:Apps:1:ClientSecret"] = "auditor-secret",
        ["Emulator:Apps:1:IntrospectAll"] = "true",
    };

    [Fact]
    public async Task OwnerSeesActiveAccessTokenWithSalesforceFields()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var token = await Salesforce.WebServerTokenAsync(client);
        using var response = await Salesforce.IntrospectAsync(client, token.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(["active", "client_id", "exp", "iat", "nbf", "scope", "sub", "token_type", "username"], Salesforce.Names(body));
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(Salesforce.ClientId, body.GetProperty("client_id").GetString());
        Assert.Equal(Salesforce.Username, body.GetProperty("username").GetString());
        Assert.Equal(token.GetProperty("id").GetString(), body.GetProperty("sub").GetString());
        Assert.Equal(token.GetProperty("scope").GetString(), body.GetProperty("scope").GetString());
        Assert.Equal("access_token", body.GetProperty("token_type").GetString());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("exp").ValueKind);
        var iat = EmulatorFactory.Start.ToUnixTimeSeconds();
        Assert.Equal(iat, body.GetProperty("iat").GetInt64());
        Assert.Equal(iat, body.GetProperty("nbf").GetInt64());
        Assert.Equal(iat + 7200, body.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task BasicClientAuthenticationIsAccepted()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, Salesforce.IntrospectPath) { Content = Salesforce.Form(("token", token)) };
        request.Headers.Authorization = Salesforce.Basic(Salesforce.ClientId, Salesforce.ClientSecret);
        using var response = await client.SendAsync(request);

        Assert.True((await Salesforce.JsonAsync(response)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AnotherAppSeesTheTokenAsInactive()
    {
        using var factory = new EmulatorFactory(TwoApps);
        using var client = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await Salesforce.IntrospectAsync(client, token, "other-app", "other-secret");

        Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AppAllowedToIntrospectAllSeesOtherAppsTokens()
    {
        using var factory = new EmulatorFactory(TwoApps);
        using var client = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await Salesforce.IntrospectAsync(client, token, "auditor", "auditor-secret");

        var body = await Salesforce.JsonAsync(response);
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(Salesforce.ClientId, body.GetProperty("client_id").GetString());
    }

    [Theory]
    [InlineData(Salesforce.ClientId, "wrong-secret")]
    [InlineData("unknown-client", "whatever")]
    [InlineData(Salesforce.ClientId, "")]
    public async Task UnauthenticatedCallerGets401InvalidClient(string clientId, string secret)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await Salesforce.IntrospectAsync(client, token, clientId, secret);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client", "invalid client credentials", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UnknownTokenIsInactive()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await Salesforce.IntrospectAsync(client, "00D5g000004ABCD!AQnotatoken");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AccessTokenIsInactiveOnceItsLifetimeHasPassed()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        factory.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        using var before = await Salesforce.IntrospectAsync(client, token);
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        using var after = await Salesforce.IntrospectAsync(client, token);

        Assert.True((await Salesforce.JsonAsync(before)).GetProperty("active").GetBoolean());
        Assert.False((await Salesforce.JsonAsync(after)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AccessTokenLifetimeIsConfigurable()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { ["Emulator:AccessTokenLifetime"] = "00:15:00" });
        using var client = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await Salesforce.IntrospectAsync(client, token);

        Assert.Equal(EmulatorFactory.Start.ToUnixTimeSeconds() + 900, (await Salesforce.JsonAsync(response)).GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task PasswordFlowSessionIdIsInactiveEvenToItsOwnAppAndToAnAppThatIntrospectsAll()
    {
        using var factory = new EmulatorFactory(TwoApps);
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var owner = await Salesforce.IntrospectAsync(client, token);
        using var auditor = await Salesforce.IntrospectAsync(client, token, "auditor", "auditor-secret");
        using var userInfo = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/oauth2/userinfo", token));

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal("{\"active\":false}", await owner.Content.ReadAsStringAsync());
        Assert.Equal("{\"active\":false}", await auditor.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
    }

    [Fact]
    public async Task RefreshTokenIntrospectsAsRefreshToken()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var refreshToken = await RefreshTokenGrantTests.RefreshTokenAsync(client);
        using var response = await Salesforce.IntrospectAsync(client, refreshToken, hint: "refresh_token");

        var body = await Salesforce.JsonAsync(response);
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal("refresh_token", body.GetProperty("token_type").GetString());
    }
}
