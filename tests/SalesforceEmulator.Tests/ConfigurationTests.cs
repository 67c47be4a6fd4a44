using System.Net;
using Microsoft.Extensions.Options;

namespace SalesforceEmulator.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task ExtraOrgsAppsAndUsersComeFromConfiguration()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Orgs:0:Id"] = "00DgK000000OMLx",
            ["Emulator:Orgs:0:InstanceUrl"] = "https://orgfarm.my.salesforce.com",
            ["Emulator:Apps:0:ClientId"] = "second-app",
            ["Emulator:Apps:0:ClientSecret"] = "second-secret",
            ["Emulator:Apps:0:Scopes"] = "api id",
            ["Emulator:Users:0:Id"] = "005gK000000TSnJQAW",
            ["Emulator:Users:0:OrgId"] = "00DgK000000OMLxUAO",
            ["Emulator:Users:0:Username"] = "second@example.com",
            ["Emulator:Users:0:Password"] = "pw",
            ["Emulator:Users:0:SecurityToken"] = "TOKEN",
            ["Emulator:Users:0:FirstName"] = "Sec",
            ["Emulator:Users:0:LastName"] = "Ond",
        });
        using var client = factory.CreateClient();
        using var withoutToken = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "password"), ("client_id", "second-app"), ("client_secret", "second-secret"), ("username", "second@example.com"), ("password", "pw")));
        using var withToken = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "password"), ("client_id", "second-app"), ("client_secret", "second-secret"), ("username", "second@example.com"), ("password", "pwTOKEN")));

        await Salesforce.AssertOAuthErrorAsync(withoutToken, "invalid_grant", "authentication failure");
        var body = await Salesforce.JsonAsync(withToken);
        Assert.Equal("http://localhost/id/00DgK000000OMLxUAO/005gK000000TSnJQAW", body.GetProperty("id").GetString());
        Assert.Equal("https://orgfarm.my.salesforce.com", body.GetProperty("instance_url").GetString());
        Assert.False(body.TryGetProperty("scope", out _));
        Assert.StartsWith("00DgK000000OMLx!", body.GetProperty("access_token").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            Salesforce.ExpectedSignature("second-secret", body.GetProperty("id").GetString()!, body.GetProperty("issued_at").GetString()!),
            body.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task DefaultAppFlagsAreSetByAnAppsEntryWithItsClientId()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId,
            ["Emulator:Apps:0:PasswordFlowAllowed"] = "false",
        });
        using var client = factory.CreateClient();
        using var response = await Salesforce.PasswordGrantAsync(client);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "authentication failure");
    }

    [Fact]
    public async Task DefaultAppEntryWithEmptySecretIsAPublicClientUsingPkce()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId,
            ["Emulator:Apps:0:ClientSecret"] = "",
            ["Emulator:Apps:0:RequireSecretForWebServer"] = "false",
            ["Emulator:Apps:0:RequirePkce"] = "true",
        });
        using var browser = factory.CreateBrowser();
        const string Verifier = "public-client-verifier-0123456789-abcdefghijklmnop";
        using var withoutPkce = await browser.GetAsync(Salesforce.AuthorizeUrl());
        var code = await Salesforce.CodeAsync(browser, challenge: Salesforce.S256(Verifier), method: "S256");
        using var exchange = await browser.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "authorization_code"), ("code", code), ("client_id", Salesforce.ClientId),
            ("redirect_uri", Salesforce.Callback), ("code_verifier", Verifier)));

        Assert.Equal("invalid_request", System.Web.HttpUtility.ParseQueryString(withoutPkce.Headers.Location!.Query)["error"]);
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
    }

    [Fact]
    public async Task CallbackUrlSettingReplacesTheDefaultCallback()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { ["Emulator:CallbackUrl"] = "http://localhost:7000/cb" });
        using var browser = factory.CreateBrowser();
        using var old = await browser.GetAsync(Salesforce.AuthorizeUrl());
        using var configured = await browser.GetAsync(Salesforce.AuthorizeUrl(redirectUri: "http://localhost:7000/cb"));

        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
    }

    [Fact]
    public async Task InactiveUserIsRefused()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Users:0:Id"] = "0055g00000GONEU",
            ["Emulator:Users:0:Username"] = "gone@example.com",
            ["Emulator:Users:0:Password"] = "pw",
            ["Emulator:Users:0:Active"] = "false",
        });
        using var client = factory.CreateClient();
        using var response = await Salesforce.PasswordGrantAsync(client, "gone@example.com", "pw");

        await Salesforce.AssertOAuthErrorAsync(response, "inactive_user", "user is inactive");
    }

    [Theory]
    [InlineData("Emulator:OrgId", "001000000000001", "Emulator:OrgId")]
    [InlineData("Emulator:OrgId", "00D5g000004ABCDAAA", "Emulator:OrgId")]
    [InlineData("Emulator:CallbackUrl", "not a url", "Emulator:CallbackUrl")]
    [InlineData("Emulator:AccessTokenLifetime", "-00:01:00", "Emulator:AccessTokenLifetime")]
    [InlineData("Emulator:InstanceUrl", "ftp://x", "Emulator:InstanceUrl")]
    [InlineData("Emulator:Apps:0:JwtCertificate", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----", "Emulator:Apps:0:JwtCertificate")]
    [InlineData("Emulator:Apps:0:JwtCertificate", "/no/such/file.pem", "Emulator:Apps:0:JwtCertificate")]
    [InlineData("Emulator:Apps:0:PreApprovedUsers:0", "nobody@example.com", "Emulator:Apps:0:PreApprovedUsers")]
    [InlineData("Emulator:Sites:0:Prefix", "services", "Emulator:Sites:0:Prefix")]
    [InlineData("Emulator:Sites:0:Prefix", "a/b", "Emulator:Sites:0:Prefix")]
    [InlineData("Emulator:Sites:0:Id", "005000000000001", "Emulator:Sites:0:Id")]
    public void InvalidSettingStopsTheEmulatorNamingTheSetting(string key, string value, string named)
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
