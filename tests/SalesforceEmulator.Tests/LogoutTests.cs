using System.Net;
using System.Web;

namespace SalesforceEmulator.Tests;

/// <summary>The login session the form starts, <c>immediate=true</c> that uses it, and the OpenID Connect logout that ends it.</summary>
public sealed class LogoutTests
{
    private const string LogoutPath = "/services/auth/idp/oidc/logout";
    private const string AfterLogout = "http://localhost:5101/signed-out";

    private static readonly Dictionary<string, string?> WithLogoutTarget = new()
    {
        ["Emulator:PostLogoutRedirectUrl"] = AfterLogout,
        ["Emulator:Apps:0:ClientId"] = "other-app",
        ["Emulator:Apps:0:ClientSecret"] = "other-secret",
        ["Emulator:Apps:0:CallbackUrls:0"] = Salesforce.Callback,
        ["Emulator:Apps:0:PostLogoutRedirectUrls:0"] = "http://localhost:5101/other-signed-out",
    };

    [Fact]
    public async Task LoginFormStartsAnHttpOnlyLaxSessionCookie()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var login = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl());

        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("sid=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImmediateAuthorizationCompletesWithALiveSessionAndFailsOnceLoggedOut()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        await Salesforce.CodeAsync(browser);
        using var silent = await browser.GetAsync(Salesforce.AuthorizeUrl(state: "again") + "&immediate=true");
        var code = HttpUtility.ParseQueryString(silent.Headers.Location!.Query)["code"];
        using var exchange = await Salesforce.ExchangeCodeAsync(browser, code!);
        using var logout = await browser.GetAsync(LogoutPath);
        using var afterLogout = await browser.GetAsync(Salesforce.AuthorizeUrl(state: "st") + "&immediate=true");

        Assert.Equal(HttpStatusCode.Redirect, silent.StatusCode);
        Assert.Equal("again", HttpUtility.ParseQueryString(silent.Headers.Location!.Query)["state"]);
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Contains("You have logged out", await logout.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("immediate_unsuccessful", HttpUtility.ParseQueryString(afterLogout.Headers.Location!.Query)["error"]);
    }

    [Fact]
    public async Task SessionEndsWithTheOrgsSessionTimeout()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        await Salesforce.CodeAsync(browser);
        factory.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        using var before = await browser.GetAsync(Salesforce.AuthorizeUrl() + "&immediate=true");
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        using var after = await browser.GetAsync(Salesforce.AuthorizeUrl() + "&immediate=true");

        Assert.NotNull(HttpUtility.ParseQueryString(before.Headers.Location!.Query)["code"]);
        Assert.Equal("immediate_unsuccessful", HttpUtility.ParseQueryString(after.Headers.Location!.Query)["error"]);
    }

    [Fact]
    public async Task LogoutRedirectsToThePostLogoutUriTheClientRegisteredWithState()
    {
        using var factory = new EmulatorFactory(WithLogoutTarget);
        using var browser = factory.CreateBrowser();
        await Salesforce.CodeAsync(browser);
        using var logout = await browser.GetAsync($"{LogoutPath}?client_id={Salesforce.ClientId}&post_logout_redirect_uri={Uri.EscapeDataString(AfterLogout)}&state=bye");
        using var afterLogout = await browser.GetAsync(Salesforce.AuthorizeUrl() + "&immediate=true");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(AfterLogout + "?state=bye", logout.Headers.Location!.OriginalString);
        Assert.Equal("immediate_unsuccessful", HttpUtility.ParseQueryString(afterLogout.Headers.Location!.Query)["error"]);
    }

    [Fact]
    public async Task LogoutRedirectsForTheAppNamedByAnIdTokenHintPostedAsAForm()
    {
        using var factory = new EmulatorFactory(WithLogoutTarget);
        using var browser = factory.CreateBrowser();
        var idToken = (await Salesforce.WebServerTokenAsync(browser, "openid api")).GetProperty("id_token").GetString()!;
        using var logout = await browser.PostAsync(LogoutPath, Salesforce.Form(("id_token_hint", idToken), ("post_logout_redirect_uri", AfterLogout)));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(AfterLogout, logout.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("client_id=other-app&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A5101%2Fsigned-out")]
    [InlineData("client_id=unknown-app&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A5101%2Fsigned-out")]
    [InlineData("post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A5101%2Fsigned-out")]
    [InlineData("client_id=local-client-id&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F")]
    [InlineData("client_id=local-client-id&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A5101%2Fsigned-out%2F")]
    [InlineData("client_id=local-client-id&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJsb2NhbC1jbGllbnQtaWQifQ.c2ln&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A5101%2Fsigned-out")]
    public async Task LogoutNeverRedirectsToAUriTheRequestingAppDidNotRegister(string query)
    {
        using var factory = new EmulatorFactory(WithLogoutTarget);
        using var browser = factory.CreateBrowser();
        await Salesforce.CodeAsync(browser);
        using var logout = await browser.GetAsync($"{LogoutPath}?{query}");
        using var afterLogout = await browser.GetAsync(Salesforce.AuthorizeUrl() + "&immediate=true");

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Null(logout.Headers.Location);
        Assert.Equal("text/html", logout.Content.Headers.ContentType?.MediaType);
        Assert.Equal("immediate_unsuccessful", HttpUtility.ParseQueryString(afterLogout.Headers.Location!.Query)["error"]);
    }

    [Fact]
    public async Task IdTokenHintOfAnotherAppDoesNotUnlockThisClientsTargets()
    {
        using var factory = new EmulatorFactory(WithLogoutTarget);
        using var browser = factory.CreateBrowser();
        var idToken = (await Salesforce.WebServerTokenAsync(browser, "openid api")).GetProperty("id_token").GetString()!;
        using var logout = await browser.GetAsync(
            $"{LogoutPath}?client_id=other-app&id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString("http://localhost:5101/other-signed-out")}");

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Null(logout.Headers.Location);
    }

    [Fact]
    public async Task LogoutIsServedUnderASitePrefixAndAdvertisedByItsDiscovery()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>(WithLogoutTarget) { ["Emulator:Sites:0:Prefix"] = "customers" });
        using var browser = factory.CreateBrowser();
        var discovery = await Salesforce.JsonAsync(await browser.GetAsync("/customers/.well-known/openid-configuration"));
        var endSession = discovery.GetProperty("end_session_endpoint").GetString()!;
        using var logout = await browser.GetAsync($"{endSession}?client_id={Salesforce.ClientId}&post_logout_redirect_uri={Uri.EscapeDataString(AfterLogout)}");

        Assert.Equal("http://localhost/customers/services/auth/idp/oidc/logout", endSession);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(AfterLogout, logout.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ResetHookEndsEveryLoginSession()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        await Salesforce.CodeAsync(browser);
        (await browser.PostAsync("/_emulator/reset", null)).Dispose();
        using var after = await browser.GetAsync(Salesforce.AuthorizeUrl() + "&immediate=true");

        Assert.Equal("immediate_unsuccessful", HttpUtility.ParseQueryString(after.Headers.Location!.Query)["error"]);
    }
}
