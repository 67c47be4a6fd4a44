using System.Net;
using System.Web;

namespace SalesforceEmulator.Tests;

public sealed class AuthorizePageTests
{
    [Fact]
    public async Task LoginFormCarriesTheRequestInHiddenFields()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await browser.GetAsync(Salesforce.AuthorizeUrl(state: "st", scope: "api id", challenge: "abc", method: "S256") + "&login_hint=demo%40example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        var fields = Salesforce.HiddenFields(html).ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal("st", fields["state"]);
        Assert.Equal("api id", fields["scope"]);
        Assert.Equal("abc", fields["code_challenge"]);
        Assert.Equal("S256", fields["code_challenge_method"]);
        Assert.Equal(Salesforce.Callback, fields["redirect_uri"]);
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"demo@example.com\"", html, StringComparison.Ordinal);
        Assert.Contains("form-action 'self' http://localhost:5101", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReflectedInputIsHtmlEncoded()
    {
        const string Evil = "\"><script>alert(1)</script>";
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var page = await browser.GetAsync(Salesforce.AuthorizeUrl(state: Evil) + "&login_hint=" + Uri.EscapeDataString(Evil));
        var html = await page.Content.ReadAsStringAsync();
        var fields = Salesforce.HiddenFields(html);
        fields.Add(KeyValuePair.Create("username", Evil));
        fields.Add(KeyValuePair.Create("password", "wrong"));
        using var failed = await browser.PostAsync(Salesforce.AuthorizePath, new FormUrlEncodedContent(fields));
        var failedHtml = await failed.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", failedHtml, StringComparison.Ordinal);
        Assert.Equal(Evil, Salesforce.HiddenFields(html).Single(f => f.Key == "state").Value);
    }

    [Fact]
    public async Task WrongCredentialsShowTheFormAgainWithAnError()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await Salesforce.LogInAsync(browser, Salesforce.AuthorizeUrl(), password: "wrong");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Please check your username and password", html, StringComparison.Ordinal);
        Assert.Contains("value=\"demo@example.com\"", html, StringComparison.Ordinal);
        Assert.Equal("xyz", Salesforce.HiddenFields(html).Single(f => f.Key == "state").Value);
    }

    [Theory]
    [InlineData("unknown-client", Salesforce.Callback, "invalid_client_id")]
    [InlineData(Salesforce.ClientId, "http://localhost:5101/oauth2/success/", "redirect_uri_mismatch")]
    [InlineData(Salesforce.ClientId, "https://evil.example/cb", "redirect_uri_mismatch")]
    public async Task BadClientOrRedirectUriShowsAnErrorPageAndNeverRedirects(string clientId, string redirectUri, string error)
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await browser.GetAsync(Salesforce.AuthorizeUrl(clientId: clientId, redirectUri: redirectUri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedRedirectUriInThePostedFormIsRefused()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        var fields = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Salesforce.ClientId, ["redirect_uri"] = "https://evil.example/cb", ["response_type"] = "code",
            ["username"] = Salesforce.Username, ["password"] = Salesforce.Password,
        });
        using var response = await browser.PostAsync(Salesforce.AuthorizePath, fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task OtherResponseTypesRedirectWithUnsupportedResponseType()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await browser.GetAsync(Salesforce.AuthorizeUrl(state: "st", responseType: "code id_token"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Equal("unsupported_response_type", query["error"]);
        Assert.Equal("st", query["state"]);
        Assert.Null(query["code"]);
    }

    [Fact]
    public async Task ScopeTheAppDoesNotHaveRedirectsWithInvalidScope()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var response = await browser.GetAsync(Salesforce.AuthorizeUrl(scope: "api wave_api"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("invalid_scope", HttpUtility.ParseQueryString(response.Headers.Location!.Query)["error"]);
    }

    [Fact]
    public async Task CrossSiteFormPostIsRefused()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser();
        using var page = await browser.GetAsync(Salesforce.AuthorizeUrl());
        var fields = Salesforce.HiddenFields(await page.Content.ReadAsStringAsync());
        fields.Add(KeyValuePair.Create("username", Salesforce.Username));
        fields.Add(KeyValuePair.Create("password", Salesforce.Password));
        using var request = new HttpRequestMessage(HttpMethod.Post, Salesforce.AuthorizePath) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task SameOriginFormPostIsAccepted()
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser("http://127.0.0.1:5100");
        using var page = await browser.GetAsync(Salesforce.AuthorizeUrl());
        var fields = Salesforce.HiddenFields(await page.Content.ReadAsStringAsync());
        fields.Add(KeyValuePair.Create("username", Salesforce.Username));
        fields.Add(KeyValuePair.Create("password", Salesforce.Password));
        using var request = new HttpRequestMessage(HttpMethod.Post, Salesforce.AuthorizePath) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", "http://127.0.0.1:5100");
        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Theory]
    // What Chromium sends for the login form under the page's Referrer-Policy no-referrer (tests/Browser.Tests found it).
    [InlineData("same-origin", "null", HttpStatusCode.Redirect)]
    // Another port of the same host is the same site but another origin: still refused.
    [InlineData("same-site", "http://127.0.0.1:5101", HttpStatusCode.Forbidden)]
    [InlineData("cross-site", "null", HttpStatusCode.Forbidden)]
    public async Task FetchMetadataDecidesWhetherAFormPostIsSameOrigin(string secFetchSite, string origin, HttpStatusCode expected)
    {
        using var factory = new EmulatorFactory();
        using var browser = factory.CreateBrowser("http://127.0.0.1:5100");
        using var page = await browser.GetAsync(Salesforce.AuthorizeUrl());
        var fields = Salesforce.HiddenFields(await page.Content.ReadAsStringAsync());
        fields.Add(KeyValuePair.Create("username", Salesforce.Username));
        fields.Add(KeyValuePair.Create("password", Salesforce.Password));
        using var request = new HttpRequestMessage(HttpMethod.Post, Salesforce.AuthorizePath) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        using var response = await browser.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }
}
