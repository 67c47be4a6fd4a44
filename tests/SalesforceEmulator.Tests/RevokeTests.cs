using System.Net;

namespace SalesforceEmulator.Tests;

public sealed class RevokeTests
{
    private const string RevokePath = "/services/oauth2/revoke";

    [Fact]
    public async Task RevokingAnAccessTokenEndsItWithAnEmpty200()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var before = await Salesforce.IntrospectAsync(client, token);
        using var response = await client.PostAsync(RevokePath, Salesforce.Form(("token", token)));
        using var introspect = await Salesforce.IntrospectAsync(client, token);

        Assert.True((await Salesforce.JsonAsync(before)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.False((await Salesforce.JsonAsync(introspect)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task RevokingARefreshTokenRevokesItsAccessTokens()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(client, scope: "api refresh_token");
        using var exchange = await Salesforce.ExchangeCodeAsync(client, code);
        var body = await Salesforce.JsonAsync(exchange);
        var refresh = body.GetProperty("refresh_token").GetString()!;
        using var refreshed = await RefreshTokenGrantTests.RefreshAsync(client, refresh);
        var fromRefresh = (await Salesforce.JsonAsync(refreshed)).GetProperty("access_token").GetString()!;
        var unrelated = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.GetAsync($"{RevokePath}?token={Uri.EscapeDataString(refresh)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var revoked in new[] { body.GetProperty("access_token").GetString()!, fromRefresh })
        {
            using var introspect = await Salesforce.IntrospectAsync(client, revoked);
            Assert.False((await Salesforce.JsonAsync(introspect)).GetProperty("active").GetBoolean());
        }

        using var stillActive = await Salesforce.IntrospectAsync(client, unrelated);
        Assert.True((await Salesforce.JsonAsync(stillActive)).GetProperty("active").GetBoolean());
        using var refreshAgain = await RefreshTokenGrantTests.RefreshAsync(client, refresh);
        await Salesforce.AssertOAuthErrorAsync(refreshAgain, "invalid_grant", "expired access/refresh token");
    }

    [Fact]
    public async Task RevokingAnUnknownTokenIs400FormEncodedInvalidToken()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(RevokePath, Salesforce.Form(("token", "bogus")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = System.Web.HttpUtility.ParseQueryString(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_token", body["error"]);
    }

    [Fact]
    public async Task JsonpRevokeWrapsTheAnswerInTheCallback()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync($"{RevokePath}?token=bogus&callback=done");
        using var evil = await client.GetAsync($"{RevokePath}?token=bogus&callback=alert(1)//");

        Assert.Equal("done({\"error\":\"invalid_token\"})", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, evil.StatusCode);
    }
}
