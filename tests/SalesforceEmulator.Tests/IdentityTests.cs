using System.Net;
using System.Text.Json;

namespace SalesforceEmulator.Tests;

public sealed class IdentityTests
{
    private const string UserInfoPath = "/services/oauth2/userinfo";

    [Fact]
    public async Task UserInfoReturnsTheOidcFields()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { ["Emulator:InstanceUrl"] = "https://acme.my.salesforce.com" });
        using var client = factory.CreateClient();
        var token = await Salesforce.PasswordTokenAsync(client);
        using var request = Salesforce.Bearer(HttpMethod.Get, UserInfoPath, token.GetProperty("access_token").GetString()!);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(token.GetProperty("id").GetString(), body.GetProperty("sub").GetString());
        Assert.Equal("0055g00000DEMOUAA5", body.GetProperty("user_id").GetString());
        Assert.Equal("00D5g000004ABCDEA4", body.GetProperty("organization_id").GetString());
        Assert.Equal(Salesforce.Username, body.GetProperty("preferred_username").GetString());
        Assert.Equal("Demo User", body.GetProperty("name").GetString());
        Assert.Equal("Demo", body.GetProperty("given_name").GetString());
        Assert.Equal("User", body.GetProperty("family_name").GetString());
        Assert.Equal(Salesforce.Username, body.GetProperty("email").GetString());
        Assert.True(body.GetProperty("email_verified").GetBoolean());
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("utcOffset").ValueKind);
        var urls = body.GetProperty("urls");
        Assert.Equal("https://acme.my.salesforce.com", urls.GetProperty("custom_domain").GetString());
        Assert.Equal("https://acme.my.salesforce.com/services/data/v{version}/", urls.GetProperty("rest").GetString());
        Assert.Equal("https://acme.my.salesforce.com/services/data/v{version}/sobjects/", urls.GetProperty("sobjects").GetString());
        Assert.Equal("https://acme.my.salesforce.com/0055g00000DEMOUAA5", urls.GetProperty("profile").GetString());
    }

    [Theory]
    [InlineData("Bearer 00D5g000004ABCD!AQbogus")]
    [InlineData("Basic Zm9vOmJhcg==")]
    [InlineData(null)]
    public async Task UserInfoWithBadTokenIs403BadOAuthToken(string? authorization)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, UserInfoPath);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        await AssertBadOAuthTokenAsync(response);
    }

    [Fact]
    public async Task IdentityUrlAnswersWithBearerHeader()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = await Salesforce.PasswordTokenAsync(client);
        var id = token.GetProperty("id").GetString()!;
        using var request = Salesforce.Bearer(HttpMethod.Get, id, token.GetProperty("access_token").GetString()!);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        string[] expected =
        [
            "active", "addr_city", "addr_country", "addr_state", "addr_street", "addr_zip", "asserted_user", "display_name", "email",
            "email_verified", "first_name", "id", "is_app_installed", "is_lightning_login_user", "language", "last_modified_date",
            "last_name", "locale", "mobile_phone", "mobile_phone_verified", "nick_name", "organization_id", "photos", "status",
            "timezone", "urls", "user_id", "user_type", "username", "utcOffset",
        ];
        Assert.Equal(expected, Salesforce.Names(body));
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.True(body.GetProperty("asserted_user").GetBoolean());
        Assert.Equal("demo", body.GetProperty("nick_name").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("addr_street").ValueKind);
        Assert.Equal("STANDARD", body.GetProperty("user_type").GetString());
    }

    [Fact]
    public async Task IdentityUrlAcceptsOAuthTokenQueryParameterAndVersion()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = await Salesforce.PasswordTokenAsync(client);
        var url = $"{token.GetProperty("id").GetString()}?version=60.0&oauth_token={Uri.EscapeDataString(token.GetProperty("access_token").GetString()!)}";
        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost/services/data/v60.0/", (await Salesforce.JsonAsync(response)).GetProperty("urls").GetProperty("rest").GetString());
    }

    [Fact]
    public async Task IdentityUrlWithBadTokenIs403BadOAuthToken()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var id = (await Salesforce.PasswordTokenAsync(client)).GetProperty("id").GetString()!;
        using var request = Salesforce.Bearer(HttpMethod.Get, id, "00D5g000004ABCD!AQbogus");
        using var response = await client.SendAsync(request);

        await AssertBadOAuthTokenAsync(response);
    }

    [Fact]
    public async Task IdentityUrlOfAnUnknownUserIs404BadId()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var request = Salesforce.Bearer(HttpMethod.Get, "/id/00D5g000004ABCDEA4/005000000000001AAA", token);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Bad_Id", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpiredTokenIsRefusedByUserInfoAndIdentity()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = await Salesforce.PasswordTokenAsync(client);
        factory.Time.Advance(TimeSpan.FromHours(2));
        using var userInfo = Salesforce.Bearer(HttpMethod.Get, UserInfoPath, token.GetProperty("access_token").GetString()!);
        using var identity = Salesforce.Bearer(HttpMethod.Get, token.GetProperty("id").GetString()!, token.GetProperty("access_token").GetString()!);

        await AssertBadOAuthTokenAsync(await client.SendAsync(userInfo));
        await AssertBadOAuthTokenAsync(await client.SendAsync(identity));
    }

    internal static async Task AssertBadOAuthTokenAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bad_OAuth_Token", await response.Content.ReadAsStringAsync());
        }
    }
}
