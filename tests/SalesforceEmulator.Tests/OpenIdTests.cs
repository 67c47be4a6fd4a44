using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SalesforceEmulator.Tests;

public sealed class OpenIdTests
{
    [Fact]
    public async Task DiscoveryNamesTheLoginHostEndpoints()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser("http://127.0.0.1:5100");
        using var response = await client.GetAsync("/.well-known/openid-configuration");

        var body = await Salesforce.JsonAsync(response);
        Assert.Equal("http://127.0.0.1:5100", body.GetProperty("issuer").GetString());
        Assert.Equal("http://127.0.0.1:5100/services/oauth2/token", body.GetProperty("token_endpoint").GetString());
        Assert.Equal("http://127.0.0.1:5100/services/oauth2/introspect", body.GetProperty("introspection_endpoint").GetString());
        Assert.Equal("http://127.0.0.1:5100/id/keys", body.GetProperty("jwks_uri").GetString());
        Assert.Equal("RS256", body.GetProperty("id_token_signing_alg_values_supported")[0].GetString());
    }

    [Fact]
    public async Task CodeGrantWithOpenIdReturnsAnIdTokenSignedByTheJwksKey()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, scope: "openid api");
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);
        var body = await Salesforce.JsonAsync(response);
        using var keys = await browser.GetAsync("/id/keys");
        var key = (await Salesforce.JsonAsync(keys)).GetProperty("keys")[0];

        var parts = body.GetProperty("id_token").GetString()!.Split('.');
        var header = JsonDocument.Parse(Base64UrlDecode(parts[0])).RootElement;
        var payload = JsonDocument.Parse(Base64UrlDecode(parts[1])).RootElement;
        Assert.Equal("256", header.GetProperty("kid").GetString());
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("256", key.GetProperty("kid").GetString());
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64UrlDecode(key.GetProperty("n").GetString()!),
            Exponent = Base64UrlDecode(key.GetProperty("e").GetString()!),
        });
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(Salesforce.ClientId, payload.GetProperty("aud").GetString());
        Assert.Equal("http://localhost", payload.GetProperty("iss").GetString());
        Assert.Equal(body.GetProperty("id").GetString(), payload.GetProperty("sub").GetString());
        Assert.Equal(EmulatorFactory.Start.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        var accessToken = body.GetProperty("access_token").GetString()!;
        var atHash = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(atHash, payload.GetProperty("at_hash").GetString());
    }

    [Fact]
    public async Task NonceIsCarriedIntoTheIdToken()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var login = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(scope: "openid") + "&nonce=n-0S6_WzA2Mj");
        var code = System.Web.HttpUtility.ParseQueryString(login.Headers.Location!.Query)["code"]!;
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);

        var idToken = (await Salesforce.JsonAsync(response)).GetProperty("id_token").GetString()!;
        Assert.Equal("n-0S6_WzA2Mj", JsonDocument.Parse(Base64UrlDecode(idToken.Split('.')[1])).RootElement.GetProperty("nonce").GetString());
    }

    [Fact]
    public async Task NoIdTokenWithoutOpenIdScopeNorForThePasswordFlow()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, scope: "api");
        using var response = await Salesforce.ExchangeCodeAsync(browser, code);
        var password = await Salesforce.PasswordTokenAsync(browser);

        Assert.False((await Salesforce.JsonAsync(response)).TryGetProperty("id_token", out _));
        Assert.False(password.TryGetProperty("scope", out _));
        Assert.False(password.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task ClientCredentialsGrantRunsAsTheConfiguredUser()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = "integration",
            ["Emulator:Apps:0:ClientSecret"] = "integration-secret",
            ["Emulator:Apps:0:Scopes"] = "api refresh_token",
            ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username,
        });
        using var client = factory.CreateClient();
        using var granted = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "client_credentials"), ("client_id", "integration"), ("client_secret", "integration-secret")));
        using var notEnabled = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "client_credentials"), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret)));

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var body = await Salesforce.JsonAsync(granted);
        Assert.Equal(["access_token", "id", "instance_url", "issued_at", "scope", "signature", "token_type"], Salesforce.Names(body));
        Assert.Equal("api", body.GetProperty("scope").GetString());
        Assert.EndsWith("/0055g00000DEMOUAA5", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        await Salesforce.AssertOAuthErrorAsync(notEnabled, "invalid_grant", "no client credentials user enabled");
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
