using System.Net;
using System.Net.Http.Json;
using System.Web;

namespace SalesforceEmulator.Tests;

/// <summary>The hooks that change who may log in: active flags of users and orgs, and the login rate limit; and 429 faults.</summary>
public sealed class LoginStateHookTests
{
    [Fact]
    public async Task ConfiguredInactiveOrgRefusesLoginWithInactiveOrg()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { ["Emulator:Orgs:0:Id"] = "00D5g000004ABCD", ["Emulator:Orgs:0:Active"] = "false" });
        using var client = factory.CreateClient();
        using var browser = factory.CreateBrowser();
        using var token = await Salesforce.PasswordGrantAsync(client);
        using var login = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(state: "st"));

        await Salesforce.AssertOAuthErrorAsync(token, "inactive_org", "org is locked, closed, or suspended");
        Assert.Equal(
            Salesforce.Callback + "?error=inactive_org&error_description=org%20is%20locked,%20closed,%20or%20suspended&state=st",
            login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task DeactivatingAUserEndsSessionsAndRefusesRefreshWithInactiveUser()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, scope: "api id refresh_token");
        var tokens = await Salesforce.JsonAsync(await Salesforce.ExchangeCodeAsync(browser, code));
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        using var hook = await browser.PostAsJsonAsync("/_emulator/users/active", new { username = Salesforce.Username, active = false });
        using var data = await browser.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/data/v65.0/", access));
        using var identity = await browser.SendAsync(Salesforce.Bearer(HttpMethod.Get, tokens.GetProperty("id").GetString()!, access));
        using var introspect = await Salesforce.IntrospectAsync(browser, refresh);
        using var refreshed = await RefreshAsync(browser, refresh);
        using var password = await Salesforce.PasswordGrantAsync(browser);

        Assert.Equal(HttpStatusCode.NoContent, hook.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Equal("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]", await data.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, identity.StatusCode);
        Assert.Equal("Bad_OAuth_Token", await identity.Content.ReadAsStringAsync());
        Assert.Equal("{\"active\":false}", await introspect.Content.ReadAsStringAsync());
        await Salesforce.AssertOAuthErrorAsync(refreshed, "inactive_user", "user is inactive");
        await Salesforce.AssertOAuthErrorAsync(password, "inactive_user", "user is inactive");
    }

    [Fact]
    public async Task LockingAnOrgRefusesRefreshWithInactiveOrgAndResetRestoresIt()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var code = await Salesforce.CodeAsync(browser, scope: "api id refresh_token");
        var refresh = (await Salesforce.JsonAsync(await Salesforce.ExchangeCodeAsync(browser, code))).GetProperty("refresh_token").GetString()!;
        using var hook = await browser.PostAsJsonAsync("/_emulator/orgs/active", new { orgId = "00D5g000004ABCDEA4", active = false });
        using var refused = await RefreshAsync(browser, refresh);
        (await browser.PostAsync("/_emulator/reset", null)).Dispose();
        using var password = await Salesforce.PasswordGrantAsync(browser);

        Assert.Equal(HttpStatusCode.NoContent, hook.StatusCode);
        await Salesforce.AssertOAuthErrorAsync(refused, "inactive_org", "org is locked, closed, or suspended");
        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
    }

    [Fact]
    public async Task ActiveHooksAnswerNotFoundForUnknownUsersAndOrgs()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var user = await client.PostAsJsonAsync("/_emulator/users/active", new { username = "nobody@example.com", active = false });
        using var org = await client.PostAsJsonAsync("/_emulator/orgs/active", new { orgId = "00D000000000001", active = false });

        Assert.Equal(HttpStatusCode.NotFound, user.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, org.StatusCode);
    }

    [Fact]
    public async Task RateLimitHookRefusesTheNextLoginsWithRateLimitExceeded()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var set = await client.PostAsJsonAsync("/_emulator/rate-limit", new { count = 2 });
        using var first = await Salesforce.PasswordGrantAsync(client);
        using var second = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(("grant_type", "refresh_token"), ("refresh_token", "x")));
        using var third = await Salesforce.PasswordGrantAsync(client);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("{\"count\":2}", await set.Content.ReadAsStringAsync());
        await Salesforce.AssertOAuthErrorAsync(first, "rate_limit_exceeded", "number of logins exceeded");
        await Salesforce.AssertOAuthErrorAsync(second, "rate_limit_exceeded", "number of logins exceeded");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task RateLimitWithoutCountLastsUntilClearedAndReachesTheLoginForm()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        (await browser.PostAsJsonAsync("/_emulator/rate-limit", new { count = (int?)null })).Dispose();
        using var login = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(state: "st"));
        using var token = await Salesforce.PasswordGrantAsync(browser);
        using var cleared = await browser.DeleteAsync("/_emulator/rate-limit");
        using var after = await Salesforce.PasswordGrantAsync(browser);
        using var invalid = await browser.PostAsJsonAsync("/_emulator/rate-limit", new { count = 0 });

        var query = HttpUtility.ParseQueryString(login.Headers.Location!.Query);
        Assert.Equal("rate_limit_exceeded", query["error"]);
        Assert.Equal("number of logins exceeded", query["error_description"]);
        await Salesforce.AssertOAuthErrorAsync(token, "rate_limit_exceeded", "number of logins exceeded");
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Fault429CarriesRetryAfterOfOneSecondByDefault()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var set = await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 429, path = "/services/oauth2/token", count = 1 });
        using var limited = await Salesforce.PasswordGrantAsync(client);
        using var after = await Salesforce.PasswordGrantAsync(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("1", limited.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("\"retryAfterSeconds\":null", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultRetryAfterIsSentAsConfiguredAndValidated()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 503, retryAfterSeconds = 30 })).Dispose();
        using var unavailable = await Salesforce.PasswordGrantAsync(client);
        using var invalid = await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 429, retryAfterSeconds = -1 });
        (await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 500 })).Dispose();
        using var error = await Salesforce.PasswordGrantAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("30", unavailable.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.False(error.Headers.Contains("Retry-After"));
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret)));
}
