using System.Net;

namespace SalesforceEmulator.Tests;

public sealed class RefreshTokenGrantTests
{
    private static readonly Dictionary<string, string?> RotatingApp = new()
    {
        ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId,
        ["Emulator:Apps:0:RefreshTokenRotation"] = "true",
    };

    [Fact]
    public async Task RefreshGrantReturnsNewAccessTokenAndNoRefreshToken()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var refreshToken = await RefreshTokenAsync(client);
        using var response = await RefreshAsync(client, refreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(["access_token", "id", "instance_url", "issued_at", "scope", "signature", "token_type"], Salesforce.Names(body));
        Assert.Equal("api refresh_token", body.GetProperty("scope").GetString());
        Assert.Equal(
            Salesforce.ExpectedSignature(Salesforce.ClientSecret, body.GetProperty("id").GetString()!, body.GetProperty("issued_at").GetString()!),
            body.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task RefreshTokenWithoutRotationStaysValid()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var refreshToken = await RefreshTokenAsync(client);
        using var first = await RefreshAsync(client, refreshToken);
        using var second = await RefreshAsync(client, refreshToken);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task UnknownRefreshTokenIsExpired()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await RefreshAsync(client, "5Aep861NotIssued");

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "expired access/refresh token");
    }

    [Fact]
    public async Task RefreshWithoutClientSecretIsInvalidClientByDefault()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var refreshToken = await RefreshTokenAsync(client);
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", Salesforce.ClientId)));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client", "invalid client credentials");
    }

    [Fact]
    public async Task RotationReturnsANewRefreshTokenAndInvalidatesTheOld()
    {
        using var factory = new EmulatorFactory(RotatingApp);
        using var client = factory.CreateBrowser();
        var original = await RefreshTokenAsync(client);
        using var rotated = await RefreshAsync(client, original);
        var next = (await Salesforce.JsonAsync(rotated)).GetProperty("refresh_token").GetString()!;
        using var followUp = await RefreshAsync(client, next);

        Assert.NotEqual(original, next);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
    }

    [Fact]
    public async Task ReusingARotatedRefreshTokenRevokesTheWholeFamily()
    {
        using var factory = new EmulatorFactory(RotatingApp);
        using var client = factory.CreateBrowser();
        var original = await RefreshTokenAsync(client);
        using var rotated = await RefreshAsync(client, original);
        var body = await Salesforce.JsonAsync(rotated);
        var next = body.GetProperty("refresh_token").GetString()!;
        var access = body.GetProperty("access_token").GetString()!;
        using var reuse = await RefreshAsync(client, original);
        using var afterReuse = await RefreshAsync(client, next);
        using var introspection = await Salesforce.IntrospectAsync(client, access);

        await Salesforce.AssertOAuthErrorAsync(reuse, "invalid_grant", "expired access/refresh token");
        await Salesforce.AssertOAuthErrorAsync(afterReuse, "invalid_grant", "expired access/refresh token");
        Assert.False((await Salesforce.JsonAsync(introspection)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task RefreshTokenBelongsToItsClient()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = "other-app",
            ["Emulator:Apps:0:ClientSecret"] = "other-secret",
        });
        using var client = factory.CreateBrowser();
        var refreshToken = await RefreshTokenAsync(client);
        using var response = await RefreshAsync(client, refreshToken, "other-app", "other-secret");

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "expired access/refresh token");
    }

    internal static async Task<string> RefreshTokenAsync(HttpClient browser, string scope = "api refresh_token")
    {
        var code = await Salesforce.CodeAsync(browser, scope: scope);
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);
        return (await Salesforce.JsonAsync(response)).GetProperty("refresh_token").GetString()!;
    }

    internal static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken, string clientId = Salesforce.ClientId, string secret = Salesforce.ClientSecret) =>
        client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientId), ("client_secret", secret)));
}
