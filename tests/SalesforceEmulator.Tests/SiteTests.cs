using System.Net;
using System.Web;

namespace SalesforceEmulator.Tests;

public sealed class SiteTests
{
    private const string SiteId = "0DB5g0000000001";

    [Fact]
    public async Task SiteServesTheTokenEndpointWithItsPrefixInTheIdentityUrl()
    {
        using var factory = SiteFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/customers" + Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "password"), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret),
            ("username", Salesforce.Username), ("password", Salesforce.Password)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("http://localhost/customers/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5", id);
        Assert.Equal(Salesforce.ExpectedSignature(Salesforce.ClientSecret, id, body.GetProperty("issued_at").GetString()!), body.GetProperty("signature").GetString());

        using var identity = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, id, body.GetProperty("access_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, identity.StatusCode);
        Assert.Equal(id, (await Salesforce.JsonAsync(identity)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task SiteLoginGivesCommunityFieldsWithTheCode()
    {
        using var factory = SiteFactory();
        using var browser = factory.CreateBrowser();
        using var page = await browser.GetAsync("/customers" + Salesforce.AuthorizeUrl());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"/customers/services/oauth2/authorize\"", html, StringComparison.Ordinal);
        var fields = Salesforce.HiddenFields(html);
        fields.Add(KeyValuePair.Create("username", Salesforce.Username));
        fields.Add(KeyValuePair.Create("password", Salesforce.Password));
        using var redirect = await browser.PostAsync("/customers" + Salesforce.AuthorizePath, new FormUrlEncodedContent(fields));
        var code = HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;
        using var token = await browser.PostAsync("/customers" + Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "authorization_code"), ("code", code), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret), ("redirect_uri", Salesforce.Callback)));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var body = await Salesforce.JsonAsync(token);
        Assert.Equal("http://localhost/customers", body.GetProperty("sfdc_community_url").GetString());
        Assert.Equal(SiteId + "GAA", body.GetProperty("sfdc_community_id").GetString());
        Assert.Equal(
            ["access_token", "id", "id_token", "instance_url", "issued_at", "refresh_token", "scope", "sfdc_community_id", "sfdc_community_url", "signature", "token_type"],
            Salesforce.Names(body));
    }

    [Fact]
    public async Task SiteDiscoveryNamesTheSiteAsIssuer()
    {
        using var factory = SiteFactory();
        using var client = factory.CreateClient();
        var discovery = await Salesforce.JsonAsync(await client.GetAsync("/customers/.well-known/openid-configuration"));

        Assert.Equal("http://localhost/customers", discovery.GetProperty("issuer").GetString());
        Assert.Equal("http://localhost/customers/services/oauth2/token", discovery.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task RootLoginHostHasNoCommunityFieldsAndOtherPrefixesAreNotFound()
    {
        using var factory = SiteFactory();
        using var client = factory.CreateClient();
        var body = await Salesforce.PasswordTokenAsync(client);
        using var other = await client.PostAsync("/partners" + Salesforce.TokenPath, Salesforce.Form(("grant_type", "password")));
        using var hooks = await client.GetAsync("/customers/_emulator/requests");
        using var log = await client.GetAsync("/_emulator/requests");

        Assert.False(body.TryGetProperty("sfdc_community_url", out _));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hooks.StatusCode);
        Assert.Contains("/partners/services/oauth2/token", await log.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JwtBearerAudienceUnderASiteIsTheSiteUrl()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var factory = SiteFactory(new() { ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId, ["Emulator:Apps:0:JwtCertificate"] = Jwt.CertificatePem(key) });
        using var client = factory.CreateClient();
        using var site = await client.PostAsync("/customers" + Salesforce.TokenPath, Salesforce.Form(("grant_type", Jwt.BearerGrantType), ("assertion", Jwt.Sign(key, Jwt.BearerClaims("http://localhost/customers")))));
        using var root = await client.PostAsync("/customers" + Salesforce.TokenPath, Salesforce.Form(("grant_type", Jwt.BearerGrantType), ("assertion", Jwt.Sign(key, Jwt.BearerClaims()))));

        Assert.Equal(HttpStatusCode.OK, site.StatusCode);
        await Salesforce.AssertOAuthErrorAsync(root, "invalid_grant", "audience validation failed");
    }

    private static EmulatorFactory SiteFactory(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? []) { ["Emulator:Sites:0:Prefix"] = "customers", ["Emulator:Sites:0:Id"] = SiteId };
        return new EmulatorFactory(settings);
    }
}
