using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SalesforceEmulator.Tests;

/// <summary>
/// JWT-based access tokens (the connected-app option): Salesforce's header and claims, a signature that Microsoft.IdentityModel
/// verifies with the key the instance publishes at <c>/id/keys</c>, key rotation, revocation, and a second org's own tokens.
/// </summary>
public sealed partial class JwtAccessTokenTests
{
    private const string OrgId18 = "00D5g000004ABCDEA4";
    private const string UserId18 = "0055g00000DEMOUAA5";
    private const string SecondMyDomain = "https://second.my.salesforce.com";

    private static readonly Dictionary<string, string?> JwtDefaultApp = new() { ["Emulator:JwtAccessTokens"] = "true" };

    [Fact]
    public async Task WebServerFlowTokenHasSalesforcesHeaderAndClaims()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var browser = factory.CreateBrowser();
        var answer = await Salesforce.WebServerTokenAsync(browser, "api id refresh_token");
        var token = answer.GetProperty("access_token").GetString()!;
        var (header, payload) = Decode(token);

        Assert.Equal("jwt", answer.GetProperty("token_format").GetString());
        Assert.Equal(["alg", "kid", "tnk", "tty", "typ", "ver"], Salesforce.Names(header));
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Matches(KidPattern(), header.GetProperty("kid").GetString());
        Assert.Equal($"CORE_ATJWT.00D5g000004ABCD.{EmulatorFactory.Start.ToUnixTimeMilliseconds()}", header.GetProperty("kid").GetString());
        Assert.Equal("sfdc-core-token", header.GetProperty("tty").GetString());
        Assert.Equal($"core/emulator/{OrgId18}", header.GetProperty("tnk").GetString());
        Assert.Equal("1.0", header.GetProperty("ver").GetString());

        var iat = EmulatorFactory.Start.ToUnixTimeSeconds();
        Assert.Equal(["aud", "client_id", "exp", "iat", "iss", "mty", "nbf", "scp", "sfi", "sub"], Salesforce.Names(payload));
        Assert.Equal(answer.GetProperty("instance_url").GetString(), payload.GetProperty("iss").GetString());
        Assert.Equal("http://localhost", payload.GetProperty("iss").GetString());
        Assert.Equal(["http://localhost"], payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal($"uid:{UserId18}", payload.GetProperty("sub").GetString());
        Assert.Equal(Salesforce.ClientId, payload.GetProperty("client_id").GetString());
        Assert.Equal("api id refresh_token", payload.GetProperty("scp").GetString());
        Assert.Equal(answer.GetProperty("scope").GetString(), payload.GetProperty("scp").GetString());
        Assert.Equal(iat, payload.GetProperty("iat").GetInt64());
        Assert.Equal(iat - 15, payload.GetProperty("nbf").GetInt64());
        Assert.Equal(iat + 7200, payload.GetProperty("exp").GetInt64());
        Assert.Equal("oauth", payload.GetProperty("mty").GetString());
        Assert.Matches("^[0-9a-f]{64}$", payload.GetProperty("sfi").GetString());
    }

    [Fact]
    public async Task TwoTokensOfTheSameUserAndSecondAreDifferentStrings()
    {
        // The factory's clock stands still: same iat, exp, user, app and scopes. Only sfi tells the two sessions apart, so that
        // revoking one (by its hash, as the AuthService remembers revocations) cannot refuse the other.
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var browser = factory.CreateBrowser();
        var first = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        var second = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;

        Assert.Equal(Decode(first).Payload.GetProperty("iat").GetInt64(), Decode(second).Payload.GetProperty("iat").GetInt64());
        Assert.NotEqual(Decode(first).Payload.GetProperty("sfi").GetString(), Decode(second).Payload.GetProperty("sfi").GetString());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task SignatureVerifiesWithTheKeyTheInstancePublishesBesideTheIdTokenKey()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var browser = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        var keys = await KeysAsync(browser);

        Assert.Equal(["256", Decode(token).Header.GetProperty("kid").GetString()!], keys.Keys.Select(k => k.Kid).ToArray());
        Assert.All(keys.Keys, k => Assert.Equal(("RSA", "RS256", "sig"), (k.Kty, k.Alg, k.Use)));
        var result = await ValidateAsync(factory, token, keys);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal($"uid:{UserId18}", result.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task TamperedForeignOrExpiredTokensFailTheSameValidation()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var browser = factory.CreateBrowser();
        var token = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        var keys = await KeysAsync(browser);
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{Base64Url(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("\"api id\"", "\"api id full\"", StringComparison.Ordinal)))}.{parts[2]}";

        Assert.True((await ValidateAsync(factory, token, keys)).IsValid);
        Assert.False((await ValidateAsync(factory, tampered, keys)).IsValid);
        Assert.False((await ValidateAsync(factory, token, keys, issuer: SecondMyDomain)).IsValid);
        factory.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.False((await ValidateAsync(factory, token, keys)).IsValid);
    }

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("refresh_token")]
    [InlineData("password")]
    [InlineData("client_credentials")]
    [InlineData("jwt_bearer")]
    [InlineData("user_agent")]
    public async Task EveryFlowIssuesAJwtThePublishedKeysVerify(string flow)
    {
        using var assertionKey = System.Security.Cryptography.RSA.Create(2048);
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId,
            ["Emulator:Apps:0:JwtAccessTokens"] = "true",
            ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username,
            ["Emulator:Apps:0:JwtCertificate"] = Jwt.CertificatePem(assertionKey),
        });
        using var browser = factory.CreateBrowser();
        var token = flow switch
        {
            "authorization_code" => (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!,
            "refresh_token" => await AccessTokenOfAsync(await RefreshTokenGrantTests.RefreshAsync(browser, await RefreshTokenGrantTests.RefreshTokenAsync(browser))),
            "password" => (await Salesforce.PasswordTokenAsync(browser)).GetProperty("access_token").GetString()!,
            "client_credentials" => await AccessTokenOfAsync(await browser.PostAsync(Salesforce.TokenPath, Salesforce.Form(
                ("grant_type", "client_credentials"), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret)))),
            "jwt_bearer" => await AccessTokenOfAsync(await browser.PostAsync(Salesforce.TokenPath, Salesforce.Form(
                ("grant_type", Jwt.BearerGrantType), ("assertion", Jwt.Sign(assertionKey, Jwt.BearerClaims()))))),
            _ => await UserAgentTokenAsync(browser),
        };

        var result = await ValidateAsync(factory, token, await KeysAsync(browser));
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task OffByDefaultAndPerApp()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Apps:0:ClientId"] = "jwt-app",
            ["Emulator:Apps:0:ClientSecret"] = "jwt-secret",
            ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username,
            ["Emulator:Apps:0:JwtAccessTokens"] = "true",
        });
        using var browser = factory.CreateBrowser();
        var opaque = await Salesforce.WebServerTokenAsync(browser);
        var keysBefore = await KeysAsync(browser);
        using var jwtResponse = await browser.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "client_credentials"), ("client_id", "jwt-app"), ("client_secret", "jwt-secret")));
        var jwt = await AccessTokenOfAsync(jwtResponse);

        Assert.StartsWith("00D5g000004ABCD!", opaque.GetProperty("access_token").GetString(), StringComparison.Ordinal);
        Assert.False(opaque.TryGetProperty("token_format", out _));
        Assert.Equal(["256"], keysBefore.Keys.Select(k => k.Kid).ToArray());
        Assert.Equal(3, jwt.Split('.').Length);
        Assert.Equal("jwt-app", Decode(jwt).Payload.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task UserInfoIdentityRestAndIntrospectionAcceptAJwtUntilItIsRevoked()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var browser = factory.CreateBrowser();
        var answer = await Salesforce.WebServerTokenAsync(browser);
        var token = answer.GetProperty("access_token").GetString()!;
        string[] paths = ["/services/oauth2/userinfo", answer.GetProperty("id").GetString()!, "/services/data/v65.0/", "/services/data/v65.0/query?q=SELECT+Id+FROM+User"];

        foreach (var path in paths)
        {
            using var before = await browser.SendAsync(Salesforce.Bearer(HttpMethod.Get, path, token));
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var introspected = await Salesforce.IntrospectAsync(browser, token);
        var introspection = await Salesforce.JsonAsync(introspected);
        Assert.Equal(["active", "client_id", "exp", "iat", "nbf", "scope", "sub", "token_type", "username"], Salesforce.Names(introspection));
        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal(Decode(token).Payload.GetProperty("exp").GetInt64(), introspection.GetProperty("exp").GetInt64());

        using var revoke = await browser.PostAsync("/services/oauth2/revoke", Salesforce.Form(("token", token)));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        foreach (var path in paths)
        {
            using var after = await browser.SendAsync(Salesforce.Bearer(HttpMethod.Get, path, token));
            Assert.Equal(path.StartsWith("/services/data", StringComparison.Ordinal) ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, after.StatusCode);
        }

        using var introspectedAfter = await Salesforce.IntrospectAsync(browser, token);
        Assert.Equal("{\"active\":false}", await introspectedAfter.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PasswordFlowJwtIsStillASessionThatIntrospectionDoesNotReport()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var client = factory.CreateClient();
        var answer = await Salesforce.PasswordTokenAsync(client);
        var token = answer.GetProperty("access_token").GetString()!;
        using var introspect = await Salesforce.IntrospectAsync(client, token);
        using var userInfo = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/oauth2/userinfo", token));

        Assert.Equal(3, token.Split('.').Length);
        Assert.False(answer.TryGetProperty("scope", out _));
        Assert.Equal("{\"active\":false}", await introspect.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
    }

    [Fact]
    public async Task RotationSignsWithANewKidAndKeepsTheOldKeyPublishedForLiveTokens()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var browser = factory.CreateBrowser();
        var first = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        var keysBefore = await KeysAsync(browser);
        // The dashboard's "Rotate JWT signing key" command posts exactly this.
        using var rotate = await browser.PostAsync("/_emulator/jwt-keys/rotate", new StringContent("{}", Encoding.UTF8, "application/json"));
        var rotated = Assert.Single((await Salesforce.JsonAsync(rotate)).EnumerateArray());
        var second = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        var keysAfter = await KeysAsync(browser);
        var firstKid = Decode(first).Header.GetProperty("kid").GetString()!;
        var secondKid = Decode(second).Header.GetProperty("kid").GetString()!;

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.Equal(OrgId18, rotated.GetProperty("orgId").GetString());
        Assert.Equal(secondKid, rotated.GetProperty("kid").GetString());
        Assert.NotEqual(firstKid, secondKid);
        Assert.Matches(KidPattern(), secondKid);
        Assert.False((await ValidateAsync(factory, second, keysBefore)).IsValid);
        Assert.Equal(["256", firstKid, secondKid], keysAfter.Keys.Select(k => k.Kid).ToArray());
        Assert.True((await ValidateAsync(factory, first, keysAfter)).IsValid);
        Assert.True((await ValidateAsync(factory, second, keysAfter)).IsValid);
    }

    [Fact]
    public async Task RotationCanDropTheOldKeysSoTheirTokensNoLongerVerify()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var browser = factory.CreateBrowser();
        var old = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        (await browser.PostAsync("/_emulator/jwt-keys/rotate", null)).Dispose();
        var middle = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        using var drop = await browser.PostAsJsonAsync("/_emulator/jwt-keys/rotate", new { orgId = "00D5g000004ABCD", dropPrevious = true });
        var latest = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        var keys = await KeysAsync(browser);
        using var userInfo = await browser.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/oauth2/userinfo", old));

        Assert.Equal(HttpStatusCode.OK, drop.StatusCode);
        Assert.Equal(["256", Decode(latest).Header.GetProperty("kid").GetString()!], keys.Keys.Select(k => k.Kid).ToArray());
        Assert.False((await ValidateAsync(factory, old, keys)).IsValid);
        Assert.False((await ValidateAsync(factory, middle, keys)).IsValid);
        Assert.True((await ValidateAsync(factory, latest, keys)).IsValid);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
    }

    [Fact]
    public async Task RotationOfAnUnknownOrgIs404()
    {
        using var factory = new EmulatorFactory(JwtDefaultApp);
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/jwt-keys/rotate", new { orgId = "00D000000000001" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ASecondOrgIssuesItsOwnJwtsPublishedOnlyAtItsOwnMyDomain()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>(JwtDefaultApp)
        {
            ["Emulator:InstanceUrl"] = "http://localhost",
            ["Emulator:Orgs:0:Id"] = "00DgK000000OMLx",
            ["Emulator:Orgs:0:InstanceUrl"] = SecondMyDomain,
            ["Emulator:Users:0:Id"] = "005gK000000TSnJ",
            ["Emulator:Users:0:OrgId"] = "00DgK000000OMLx",
            ["Emulator:Users:0:Username"] = "second@example.com",
            ["Emulator:Users:0:Password"] = "second-password",
        });
        using var browser = factory.CreateBrowser();
        var firstOrg = (await Salesforce.WebServerTokenAsync(browser)).GetProperty("access_token").GetString()!;
        var secondOrg = await AccessTokenOfAsync(await Salesforce.PasswordGrantAsync(browser, "second@example.com", "second-password"));
        using var secondHost = factory.CreateBrowser(SecondMyDomain);
        var firstKeys = await KeysAsync(browser);
        var secondKeys = await KeysAsync(secondHost);
        var (header, payload) = Decode(secondOrg);

        Assert.Equal(SecondMyDomain, payload.GetProperty("iss").GetString());
        Assert.Equal([SecondMyDomain], payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal("uid:005gK000000TSnJQAW", payload.GetProperty("sub").GetString());
        Assert.StartsWith("CORE_ATJWT.00DgK000000OMLx.", header.GetProperty("kid").GetString(), StringComparison.Ordinal);
        Assert.Equal("core/emulator/00DgK000000OMLxUAO", header.GetProperty("tnk").GetString());
        Assert.Equal(["256", Decode(firstOrg).Header.GetProperty("kid").GetString()!], firstKeys.Keys.Select(k => k.Kid).ToArray());
        Assert.Equal(["256", header.GetProperty("kid").GetString()!], secondKeys.Keys.Select(k => k.Kid).ToArray());
        Assert.True((await ValidateAsync(factory, secondOrg, secondKeys, issuer: SecondMyDomain)).IsValid);
        Assert.False((await ValidateAsync(factory, secondOrg, firstKeys)).IsValid);
        Assert.False((await ValidateAsync(factory, secondOrg, firstKeys, issuer: SecondMyDomain)).IsValid);
        Assert.True((await ValidateAsync(factory, firstOrg, firstKeys)).IsValid);
    }

    /// <summary>
    /// What a resource server does with Microsoft.IdentityModel: RS256 only, a key from the given JWKS, iss and aud the My
    /// Domain, and exp/nbf with 30 s of skew, judged on the test's fake clock.
    /// </summary>
    private static Task<TokenValidationResult> ValidateAsync(EmulatorFactory factory, string token, JsonWebKeySet keys, string issuer = "http://localhost")
    {
        var skew = TimeSpan.FromSeconds(30);
        return new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = issuer,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
                notBefore is { } nbf && expires is { } exp && factory.Time.GetUtcNow() >= nbf - skew && factory.Time.GetUtcNow() < exp + skew,
        });
    }

    private static async Task<JsonWebKeySet> KeysAsync(HttpClient client) => new(await client.GetStringAsync("/id/keys"));

    private static async Task<string> AccessTokenOfAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await Salesforce.JsonAsync(response)).GetProperty("access_token").GetString()!;
        }
    }

    private static async Task<string> UserAgentTokenAsync(HttpClient browser)
    {
        using var login = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(responseType: "token"));
        return HttpUtility.ParseQueryString(login.Headers.Location!.Fragment.TrimStart('#'))["access_token"]!;
    }

    private static (JsonElement Header, JsonElement Payload) Decode(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return (JsonDocument.Parse(Base64UrlDecode(parts[0])).RootElement.Clone(), JsonDocument.Parse(Base64UrlDecode(parts[1])).RootElement.Clone());
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"^CORE_ATJWT\.00D[A-Za-z0-9]{12}\.\d{13}$")]
    private static partial Regex KidPattern();
}
