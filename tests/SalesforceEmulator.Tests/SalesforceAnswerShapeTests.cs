using SalesforceIdentity.Tests;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace SalesforceEmulator.Tests;

/// <summary>The emulator answers every situation of <c>tests/TestSupport/salesforce-answers.jsonc</c> in Salesforce's documented shape.</summary>
public sealed class SalesforceAnswerShapeTests
{
    private const string Other = "other@example.com";

    // Situations the emulator does not model (the AuthService's tests still feed these answers to its client).
    private static readonly string[] NotEmulated = ["token.error.ip_restricted"];

    private static readonly RSA JwtKey = RSA.Create(2048);

    private static readonly Dictionary<string, Func<Session, Task<HttpResponseMessage>>> Situations = new()
    {
        ["token.authorization_code"] = s => s.ExchangeAsync("refresh_token web openid api id"),
        ["token.password"] = s => Salesforce.PasswordGrantAsync(s.Browser),
        ["token.refresh_token"] = async s => await RefreshTokenGrantTests.RefreshAsync(s.Browser, await RefreshTokenGrantTests.RefreshTokenAsync(s.Browser, "api id refresh_token")),
        ["token.client_credentials"] = s => s.TokenAsync(("grant_type", "client_credentials"), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret)),
        ["token.jwt_bearer"] = s => s.JwtBearerAsync(Salesforce.Username, "http://localhost"),
        ["token.error.invalid_client_id"] = s => s.TokenAsync(("grant_type", "password"), ("client_id", "nobody"), ("client_secret", "x"), ("username", Salesforce.Username), ("password", Salesforce.Password)),
        ["token.error.invalid_client"] = s => s.TokenAsync(("grant_type", "password"), ("client_id", Salesforce.ClientId), ("client_secret", "wrong"), ("username", Salesforce.Username), ("password", Salesforce.Password)),
        ["token.error.authentication_failure"] = s => Salesforce.PasswordGrantAsync(s.Browser, password: "wrong-password"),
        ["token.error.expired_authorization_code"] = s => Salesforce.ExchangeCodeAsync(s.Browser, "aPrxNotIssued"),
        ["token.error.redirect_uri_mismatch"] = async s => await Salesforce.ExchangeCodeAsync(s.Browser, await Salesforce.CodeAsync(s.Browser), redirectUri: "http://localhost:5101/elsewhere"),
        ["token.error.unsupported_grant_type"] = s => s.TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", Salesforce.ClientId)),
        ["token.error.expired_refresh_token"] = s => RefreshTokenGrantTests.RefreshAsync(s.Browser, "5Aep861NotIssued"),
        ["token.error.audience_validation_failed"] = s => s.JwtBearerAsync(Salesforce.Username, "https://login.salesforce.com"),
        ["token.error.user_not_approved"] = s => s.JwtBearerAsync(Other, "http://localhost"),
        ["token.error.inactive_user"] = async s =>
        {
            (await s.Browser.PostAsJsonAsync("/_emulator/users/active", new { username = Salesforce.Username, active = false })).Dispose();
            return await Salesforce.PasswordGrantAsync(s.Browser);
        },
        ["token.error.inactive_org"] = async s =>
        {
            (await s.Browser.PostAsJsonAsync("/_emulator/orgs/active", new { orgId = "00D5g000004ABCD", active = false })).Dispose();
            return await Salesforce.PasswordGrantAsync(s.Browser);
        },
        ["token.error.rate_limit_exceeded"] = async s =>
        {
            (await s.Browser.PostAsJsonAsync("/_emulator/rate-limit", new { count = 1 })).Dispose();
            return await Salesforce.PasswordGrantAsync(s.Browser);
        },
        ["token.error.pkce_mismatch"] = async s =>
            await Salesforce.ExchangeCodeAsync(s.Browser, await Salesforce.CodeAsync(s.Browser, challenge: Salesforce.S256(Verifier), method: "S256"), verifier: Verifier + "x"),
        ["token.error.pkce_missing_verifier"] = async s =>
            await Salesforce.ExchangeCodeAsync(s.Browser, await Salesforce.CodeAsync(s.Browser, challenge: Salesforce.S256(Verifier), method: "S256")),
        ["introspect.active"] = async s => await Salesforce.IntrospectAsync(s.Browser, await s.AccessTokenAsync()),
        ["introspect.inactive"] = async s => await Salesforce.IntrospectAsync(s.Browser, (await Salesforce.PasswordTokenAsync(s.Browser)).GetProperty("access_token").GetString()!),
        ["userinfo"] = async s => await s.GetAsync("/services/oauth2/userinfo", await s.AccessTokenAsync()),
        ["userinfo.bad_token"] = s => s.GetAsync("/services/oauth2/userinfo", "00D5g000004ABCD!AQbogus"),
        ["identity"] = async s =>
        {
            var token = await Salesforce.WebServerTokenAsync(s.Browser);
            return await s.GetAsync(token.GetProperty("id").GetString()!, token.GetProperty("access_token").GetString()!);
        },
        ["identity.bad_token"] = s => s.GetAsync("/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5", "00D5g000004ABCD!AQbogus"),
        ["revoke"] = async s => await s.Browser.PostAsync("/services/oauth2/revoke", Salesforce.Form(("token", await s.AccessTokenAsync()))),
        ["revoke.error"] = s => s.Browser.PostAsync("/services/oauth2/revoke", Salesforce.Form(("token", "not-a-token"))),
        ["rest.invalid_session"] = s => s.GetAsync("/services/data/v65.0/", "00D5g000004ABCD!AQbogus"),
        ["rest.not_found"] = async s => await s.GetAsync("/services/data/v65.0/nothing-here", await s.AccessTokenAsync()),
        ["rest.query"] = s => s.QueryAsync($"SELECT Id, Username FROM User WHERE Username = '{Salesforce.Username}'"),
        ["rest.malformed_query"] = s => s.QueryAsync("SELEC Id FROM User"),
        ["rest.invalid_type"] = s => s.QueryAsync("SELECT Id FROM Nothing__c"),
        ["rest.invalid_field"] = s => s.QueryAsync("SELECT Salary__c FROM User"),
    };

    private const string Verifier = "the-pkce-verifier-of-the-shape-tests-0123456789-abcdefghijklmnop";

    public static TheoryData<string> Names => [.. SalesforceAnswers.All.Keys.Except(NotEmulated)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task EmulatorAnswersInTheDocumentedShape(string name)
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId,
            ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username,
            ["Emulator:Apps:0:JwtCertificate"] = Jwt.CertificatePem(JwtKey),
            ["Emulator:Apps:0:PreApprovedUsers:0"] = Salesforce.Username,
            ["Emulator:Users:0:Id"] = "0055g00000OTHER",
            ["Emulator:Users:0:Username"] = Other,
            ["Emulator:Users:0:Password"] = "other-password",
        });
        using var browser = factory.CreateBrowser();
        using var response = await Situations[name](new Session(browser));

        await SalesforceAnswers.AssertSameShapeAsync(name, response);
    }

    [Fact]
    public void EveryDocumentedAnswerIsProducedOrListedAsNotEmulated()
    {
        Assert.Equal(
            SalesforceAnswers.All.Keys.Order(StringComparer.Ordinal),
            Situations.Keys.Concat(NotEmulated).Order(StringComparer.Ordinal));
    }

    /// <summary>One test's browser, with the requests the situations share.</summary>
    private sealed class Session(HttpClient browser)
    {
        public HttpClient Browser { get; } = browser;

        public Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] fields) => Browser.PostAsync(Salesforce.TokenPath, Salesforce.Form(fields));

        public async Task<HttpResponseMessage> ExchangeAsync(string scope) => await Salesforce.ExchangeCodeAsync(Browser, await Salesforce.CodeAsync(Browser, scope: scope));

        public Task<HttpResponseMessage> JwtBearerAsync(string subject, string audience) =>
            TokenAsync(("grant_type", Jwt.BearerGrantType), ("assertion", Jwt.Sign(JwtKey, Jwt.BearerClaims(audience, subject: subject))));

        public async Task<string> AccessTokenAsync() => (await Salesforce.WebServerTokenAsync(Browser)).GetProperty("access_token").GetString()!;

        public Task<HttpResponseMessage> GetAsync(string url, string token) => Browser.SendAsync(Salesforce.Bearer(HttpMethod.Get, url, token));

        public async Task<HttpResponseMessage> QueryAsync(string soql) =>
            await GetAsync($"/services/data/v65.0/query?q={Uri.EscapeDataString(soql)}", await AccessTokenAsync());
    }
}
