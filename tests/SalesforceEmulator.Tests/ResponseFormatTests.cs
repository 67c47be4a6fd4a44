using System.Net;
using System.Net.Http.Headers;
using System.Web;
using System.Xml.Linq;

namespace SalesforceEmulator.Tests;

public sealed class ResponseFormatTests
{
    private const string Id = "http://localhost/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5";
    private const string Scope = "api id web full openid profile email address phone";

    // The client-credentials answer carries a scope (a password-flow answer has none), so the format tests use it.
    private static readonly Dictionary<string, string?> ClientCredentialsApp = new()
    {
        ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId,
        ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username,
    };

    private static readonly (string, string)[] ClientCredentialsFields =
        [("grant_type", "client_credentials"), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret)];

    [Fact]
    public async Task TokenFormatXmlAnswersAnOAuthElementWithTheJsonFieldsInOrder()
    {
        using var factory = new EmulatorFactory(ClientCredentialsApp);
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(Salesforce.TokenPath + "?format=xml", Salesforce.Form(ClientCredentialsFields));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var xml = XElement.Parse(text);
        var token = xml.Element("access_token")!.Value;
        var issuedAt = xml.Element("issued_at")!.Value;
        var signature = Salesforce.ExpectedSignature(Salesforce.ClientSecret, Id, issuedAt);
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OAuth xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + $"<access_token>{token}</access_token><signature>{signature}</signature><scope>{Scope}</scope>"
            + $"<instance_url>http://localhost</instance_url><id>{Id}</id><token_type>Bearer</token_type><issued_at>{EmulatorFactory.Start.ToUnixTimeMilliseconds()}</issued_at></OAuth>",
            text);
    }

    [Fact]
    public async Task TokenFormatUrlEncodedAnswersAForm()
    {
        using var factory = new EmulatorFactory(ClientCredentialsApp);
        using var client = factory.CreateClient();
        var form = new List<(string, string)>(ClientCredentialsFields) { ("format", "urlencoded") };
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form([.. form]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-www-form-urlencoded", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var fields = HttpUtility.ParseQueryString(text);
        Assert.Equal(["access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"], fields.AllKeys.Select(k => k!).ToArray());
        Assert.Equal(Id, fields["id"]);
        Assert.Equal(Scope, fields["scope"]);
        Assert.Equal(Salesforce.ExpectedSignature(Salesforce.ClientSecret, Id, fields["issued_at"]!), fields["signature"]);
        Assert.Contains("&scope=api%20id%20web%20", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/xml", "application/xml")]
    [InlineData("text/xml", "application/xml")]
    [InlineData("application/x-www-form-urlencoded", "application/x-www-form-urlencoded")]
    [InlineData("application/json", "application/json")]
    [InlineData("text/html, application/xml;q=0.9", "application/xml")]
    [InlineData("*/*", "application/json")]
    public async Task TokenAcceptHeaderChoosesTheFormat(string accept, string expected)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Salesforce.TokenPath) { Content = PasswordForm() };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FormatParameterWinsOverAccept()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Salesforce.TokenPath + "?format=json") { Content = PasswordForm() };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
        using var response = await client.SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TokenErrorsFollowTheFormat()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var xml = await client.PostAsync(Salesforce.TokenPath + "?format=xml", Salesforce.Form(("grant_type", "password"), ("client_id", "nope")));
        using var form = await client.PostAsync(Salesforce.TokenPath + "?format=urlencoded", Salesforce.Form(("grant_type", "password"), ("client_id", "nope")));

        Assert.Equal(HttpStatusCode.BadRequest, xml.StatusCode);
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OAuth xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><error>invalid_client_id</error><error_description>client identifier invalid</error_description></OAuth>",
            await xml.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal("application/x-www-form-urlencoded", form.Content.Headers.ContentType?.MediaType);
        Assert.Equal("error=invalid_client_id&error_description=client%20identifier%20invalid", await form.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IdentityFormatXmlIsAUserElementWithNilNullsAndNestedMaps()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.GetAsync($"{Id}?format=xml&version=latest&oauth_token={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><user xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><id>" + Id + "</id><asserted_user>true</asserted_user>", text, StringComparison.Ordinal);
        Assert.Contains("<addr_street xsi:nil=\"true\" />", text, StringComparison.Ordinal);
        Assert.Contains("<status><created_date xsi:nil=\"true\" /><body xsi:nil=\"true\" /></status>", text, StringComparison.Ordinal);
        Assert.Contains("<rest>http://localhost/services/data/v65.0/</rest>", text, StringComparison.Ordinal);
        Assert.EndsWith("<is_app_installed>true</is_app_installed></user>", text, StringComparison.Ordinal);
        var user = XElement.Parse(text);
        Assert.Equal(30, user.Elements().Count());
        Assert.Equal(Salesforce.Username, user.Element("username")!.Value);
    }

    [Fact]
    public async Task IdentityFormatUrlEncodedWritesNestedObjectsAsJavaMaps()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var request = Salesforce.Bearer(HttpMethod.Get, Id, token);
        request.Headers.TryAddWithoutValidation("Accept", "application/x-www-form-urlencoded");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fields = HttpUtility.ParseQueryString(await response.Content.ReadAsStringAsync());
        Assert.Equal(30, fields.Count);
        Assert.Equal("{created_date=null, body=null}", fields["status"]);
        Assert.Equal("{picture=http://localhost/profilephoto/005/F, thumbnail=http://localhost/profilephoto/005/T}", fields["photos"]);
        Assert.Equal("null", fields["addr_city"]);
        Assert.Equal("true", fields["asserted_user"]);
        Assert.Equal(Salesforce.Username, fields["username"]);
    }

    [Fact]
    public async Task IdentityJsonpWrapsTheJsonInTheCallback()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, Id + "?callback=handle", token));
        using var json = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, Id, token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"handle({await json.Content.ReadAsStringAsync()})", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IdentityRefusesAnUnsafeCallbackWithInvalidCallback()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var response = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, Id + "?callback=alert(1)", token));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("Invalid_Callback", await response.Content.ReadAsStringAsync());
    }

    private static (string, string)[] PasswordFields() =>
    [
        ("grant_type", "password"), ("client_id", Salesforce.ClientId), ("client_secret", Salesforce.ClientSecret),
        ("username", Salesforce.Username), ("password", Salesforce.Password),
    ];

    private static FormUrlEncodedContent PasswordForm() => Salesforce.Form(PasswordFields());
}
