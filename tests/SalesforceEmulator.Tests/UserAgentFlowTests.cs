using System.Net;
using System.Web;

namespace SalesforceEmulator.Tests;

public sealed class UserAgentFlowTests
{
    [Fact]
    public async Task TokenResponseTypePutsTheTokensInTheFragmentInSalesforcesOrder()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(state: "st", scope: "api id refresh_token", responseType: "token"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(Salesforce.Callback + "#access_token=", location, StringComparison.Ordinal);
        var fields = HttpUtility.ParseQueryString(location.Split('#')[1]);
        Assert.Equal(["access_token", "refresh_token", "instance_url", "id", "issued_at", "signature", "scope", "token_type", "state"], fields.AllKeys.Select(k => k!).ToArray());
        Assert.Equal("http://localhost/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5", fields["id"]);
        Assert.Equal(EmulatorFactory.Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), fields["issued_at"]);
        Assert.Equal(Salesforce.ExpectedSignature(Salesforce.ClientSecret, fields["id"]!, fields["issued_at"]!), fields["signature"]);
        Assert.Equal("api id refresh_token", fields["scope"]);
        Assert.Equal("Bearer", fields["token_type"]);
        Assert.Equal("st", fields["state"]);

        using var client = factory.CreateClient();
        using var identity = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, fields["id"]!, fields["access_token"]!));
        Assert.Equal(HttpStatusCode.OK, identity.StatusCode);
    }

    [Fact]
    public async Task TokenIdTokenResponseTypeAddsAnIdTokenWhenOpenIdIsGranted()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(state: null, scope: "api openid", responseType: "token id_token"));

        var fields = HttpUtility.ParseQueryString(response.Headers.Location!.OriginalString.Split('#')[1]);
        Assert.Equal(["access_token", "instance_url", "id", "issued_at", "signature", "scope", "token_type", "id_token"], fields.AllKeys.Select(k => k!).ToArray());
        Assert.Equal(3, fields["id_token"]!.Split('.').Length);
    }

    [Fact]
    public async Task TokenFlowErrorsGoToTheFragment()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await browser.GetAsync(Salesforce.AuthorizeUrl(state: "st", scope: "wave_api", responseType: "token"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(
            Salesforce.Callback + "#error=invalid_scope&error_description=the%20requested%20scope%20is%20not%20allowed&state=st",
            response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ImmediateRequestFailsWithImmediateUnsuccessfulAsNoUserIsLoggedIn()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await browser.GetAsync(Salesforce.AuthorizeUrl(state: "st") + "&immediate=true");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Equal("immediate_unsuccessful", query["error"]);
        Assert.Equal("immediate authorization is not possible: the user is not logged in", query["error_description"]);
        Assert.Equal("st", query["state"]);
    }

    [Theory]
    [InlineData("&immediate=false")]
    [InlineData("&prompt=login")]
    [InlineData("&prompt=login%20consent")]
    [InlineData("&prompt=select_account&display=touch")]
    public async Task PromptAndNonImmediateRequestsShowTheLoginForm(string extra)
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await browser.GetAsync(Salesforce.AuthorizeUrl() + extra);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/services/oauth2/authorize\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeChallengeWithoutMethodIsS256AsJsforceSendsIt()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var verifier = new string('v', 171);
        var code = await Salesforce.CodeAsync(browser, challenge: Salesforce.S256(verifier));
        using var response = await Salesforce.ExchangeCodeAsync(browser, code, verifier);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
