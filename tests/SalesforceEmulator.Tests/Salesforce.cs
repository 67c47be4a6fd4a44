using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;

namespace SalesforceEmulator.Tests;

/// <summary>What the tests send and check, written independently of the emulator's code.</summary>
public static partial class Salesforce
{
    public const string ClientId = "local-client-id";
    public const string ClientSecret = "local-client-secret";
    public const string Callback = "http://localhost:5101/oauth2/success";
    public const string Username = "demo@example.com";
    public const string Password = "demo-password";
    public const string TokenPath = "/services/oauth2/token";
    public const string AuthorizePath = "/services/oauth2/authorize";
    public const string IntrospectPath = "/services/oauth2/introspect";

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    public static Task<HttpResponseMessage> PasswordGrantAsync(HttpClient client, string username = Username, string password = Password) =>
        client.PostAsync(TokenPath, Form(
            ("grant_type", "password"), ("client_id", ClientId), ("client_secret", ClientSecret), ("username", username), ("password", password)));

    public static async Task<JsonElement> PasswordTokenAsync(HttpClient client)
    {
        using var response = await PasswordGrantAsync(client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    public static async Task AssertOAuthErrorAsync(HttpResponseMessage response, string error, string description, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(["error", "error_description"], Names(body));
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(description, body.GetProperty("error_description").GetString());
    }

    public static string AuthorizeUrl(string? state = "xyz", string? scope = null, string? challenge = null, string? method = null, string clientId = ClientId, string redirectUri = Callback, string responseType = "code")
    {
        var query = HttpUtility.ParseQueryString("");
        query["response_type"] = responseType;
        query["client_id"] = clientId;
        query["redirect_uri"] = redirectUri;
        if (state is not null)
        {
            query["state"] = state;
        }

        if (scope is not null)
        {
            query["scope"] = scope;
        }

        if (challenge is not null)
        {
            query["code_challenge"] = challenge;
        }

        if (method is not null)
        {
            query["code_challenge_method"] = method;
        }

        return $"{AuthorizePath}?{query}";
    }

    /// <summary>The hidden fields of the login form, as a browser would post them back.</summary>
    public static List<KeyValuePair<string, string>> HiddenFields(string html) =>
        [.. HiddenFieldPattern().Matches(html).Select(m => KeyValuePair.Create(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)))];

    /// <summary>GETs the login form, posts it with the credentials, and returns the redirect.</summary>
    public static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, string authorizeUrl, string username = Username, string password = Password)
    {
        using var page = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = HiddenFields(await page.Content.ReadAsStringAsync());
        fields.Add(KeyValuePair.Create("username", username));
        fields.Add(KeyValuePair.Create("password", password));
        return await browser.PostAsync(AuthorizePath, new FormUrlEncodedContent(fields));
    }

    /// <summary>Logs in through the form and returns the code from the callback redirect.</summary>
    public static async Task<string> CodeAsync(HttpClient browser, string? scope = null, string? challenge = null, string? method = null, string state = "xyz")
    {
        using var response = await LogInAsync(browser, AuthorizeUrl(state, scope, challenge, method));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(Callback + "?", location.OriginalString, StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(state, query["state"]);
        return query["code"]!;
    }

    public static Task<HttpResponseMessage> ExchangeCodeAsync(HttpClient client, string code, string? verifier = null, string redirectUri = Callback, string clientId = ClientId, string clientSecret = ClientSecret)
    {
        var fields = new List<(string, string)>
        {
            ("grant_type", "authorization_code"), ("code", code), ("client_id", clientId), ("client_secret", clientSecret), ("redirect_uri", redirectUri),
        };
        if (verifier is not null)
        {
            fields.Add(("code_verifier", verifier));
        }

        return client.PostAsync(TokenPath, Form([.. fields]));
    }

    /// <summary>
    /// Tokens from the web-server flow (log in through the form, exchange the code): unlike a password-flow Session ID,
    /// their access token is introspectable. Needs a browser client that does not follow redirects.
    /// </summary>
    public static async Task<JsonElement> WebServerTokenAsync(HttpClient browser, string scope = "api id")
    {
        var code = await CodeAsync(browser, scope: scope);
        using var response = await ExchangeCodeAsync(browser, code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static string S256(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string ExpectedSignature(string secret, string id, string issuedAt) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(id + issuedAt)));

    public static HttpRequestMessage Bearer(HttpMethod method, string url, string token)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static System.Net.Http.Headers.AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));

    public static Task<HttpResponseMessage> IntrospectAsync(HttpClient client, string token, string clientId = ClientId, string clientSecret = ClientSecret, string? hint = null)
    {
        var fields = new List<(string, string)> { ("token", token), ("client_id", clientId), ("client_secret", clientSecret) };
        if (hint is not null)
        {
            fields.Add(("token_type_hint", hint));
        }

        return client.PostAsync(IntrospectPath, Form([.. fields]));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenFieldPattern();
}
