using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SalesforceEmulator.Tests;

public sealed partial class PasswordGrantTests
{
    [Fact]
    public async Task PasswordGrantReturnsSalesforceFieldsWithoutScopeOrRefreshToken()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await Salesforce.PasswordGrantAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(["access_token", "id", "instance_url", "issued_at", "signature", "token_type"], Salesforce.Names(body));
        foreach (var property in body.EnumerateObject())
        {
            Assert.Equal(JsonValueKind.String, property.Value.ValueKind);
        }

        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("http://localhost", body.GetProperty("instance_url").GetString());
        Assert.Matches(IdentityUrlPattern(), body.GetProperty("id").GetString());
        Assert.Equal("http://localhost/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5", body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task PasswordFlowSessionIdOpensUserInfoIdentityAndRestUntilRevoked()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var body = await Salesforce.PasswordTokenAsync(client);
        var token = body.GetProperty("access_token").GetString()!;
        var id = body.GetProperty("id").GetString()!;
        string[] paths = ["/services/oauth2/userinfo", id, "/services/data/v65.0/", "/services/data/v65.0/sobjects/User/0055g00000DEMOUAA5"];

        foreach (var path in paths)
        {
            using var before = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, path, token));
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var revoke = await client.PostAsync("/services/oauth2/revoke", Salesforce.Form(("token", token)));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        foreach (var path in paths)
        {
            using var after = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, path, token));
            Assert.Equal(path.StartsWith("/services/data", StringComparison.Ordinal) ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, after.StatusCode);
        }
    }

    [Fact]
    public async Task IssuedAtIsTheFakeClockInMillisecondsAsAThirteenDigitString()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var body = await Salesforce.PasswordTokenAsync(client);

        var issuedAt = body.GetProperty("issued_at").GetString()!;
        Assert.Matches(ThirteenDigits(), issuedAt);
        Assert.Equal(EmulatorFactory.Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), issuedAt);
    }

    [Fact]
    public async Task SignatureIsHmacSha256OfIdAndIssuedAtKeyedWithTheClientSecret()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var body = await Salesforce.PasswordTokenAsync(client);

        var expected = Salesforce.ExpectedSignature(Salesforce.ClientSecret, body.GetProperty("id").GetString()!, body.GetProperty("issued_at").GetString()!);
        Assert.Equal(expected, body.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task AccessTokenIsOrgPrefixedOpaqueTokenAndUniquePerGrant()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var first = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        var second = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;

        Assert.Matches(AccessTokenPattern(), first);
        Assert.InRange(first.Length - 16, 90, 110);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task InstanceUrlComesFromSettingWhileIdStaysOnTheLoginHost()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { ["Emulator:InstanceUrl"] = "https://acme.my.salesforce.com/" });
        using var client = factory.CreateClient();
        var body = await Salesforce.PasswordTokenAsync(client);

        Assert.Equal("https://acme.my.salesforce.com", body.GetProperty("instance_url").GetString());
        Assert.StartsWith("http://localhost/id/", body.GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginHostFollowsTheRequestSoLoopbackAddressWorksToo()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser("http://127.0.0.1:5199");
        var body = await Salesforce.PasswordTokenAsync(client);

        Assert.Equal("http://127.0.0.1:5199", body.GetProperty("instance_url").GetString());
        Assert.StartsWith("http://127.0.0.1:5199/id/00D", body.GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientMayAuthenticateWithBasicHeader()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Salesforce.TokenPath)
        {
            Content = Salesforce.Form(("grant_type", "password"), ("username", Salesforce.Username), ("password", Salesforce.Password)),
        };
        request.Headers.Authorization = Salesforce.Basic(Salesforce.ClientId, Salesforce.ClientSecret);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ParametersAreAcceptedFromTheQueryStringWithAnEmptyBody()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var url = $"{Salesforce.TokenPath}?grant_type=password&client_id={Salesforce.ClientId}&client_secret={Salesforce.ClientSecret}&username={Uri.EscapeDataString(Salesforce.Username)}&password={Salesforce.Password}";
        using var response = await client.PostAsync(url, content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task JsonBodyIsAnUnsupportedGrantType()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync(Salesforce.TokenPath, new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = Salesforce.ClientId, ["client_secret"] = Salesforce.ClientSecret,
            ["username"] = Salesforce.Username, ["password"] = Salesforce.Password,
        });

        await Salesforce.AssertOAuthErrorAsync(response, "unsupported_grant_type", "grant type not supported");
    }

    [Theory]
    [InlineData("")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    public async Task UnknownOrMissingGrantTypeIsUnsupported(string grantType)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(("grant_type", grantType), ("client_id", Salesforce.ClientId)));

        await Salesforce.AssertOAuthErrorAsync(response, "unsupported_grant_type", "grant type not supported");
    }

    [Fact]
    public async Task UnknownClientIdIsInvalidClientId()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "password"), ("client_id", "nope"), ("client_secret", Salesforce.ClientSecret), ("username", Salesforce.Username), ("password", Salesforce.Password)));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client_id", "client identifier invalid");
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("")]
    public async Task WrongOrMissingClientSecretIsInvalidClient(string secret)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "password"), ("client_id", Salesforce.ClientId), ("client_secret", secret), ("username", Salesforce.Username), ("password", Salesforce.Password)));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client", "invalid client credentials");
    }

    [Theory]
    [InlineData(Salesforce.Username, "wrong-password")]
    [InlineData("nobody@example.com", Salesforce.Password)]
    [InlineData("DEMO@EXAMPLE.COM", "DEMO-PASSWORD")]
    public async Task WrongCredentialsAreAnAuthenticationFailure(string username, string password)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await Salesforce.PasswordGrantAsync(client, username, password);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "authentication failure");
    }

    [Fact]
    public async Task UsernameIsCaseInsensitive()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await Salesforce.PasswordGrantAsync(client, "Demo@Example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [GeneratedRegex(@"^\d{13}$")]
    private static partial Regex ThirteenDigits();

    [GeneratedRegex(@"^00D5g000004ABCD![A-Za-z0-9._]+$")]
    private static partial Regex AccessTokenPattern();

    [GeneratedRegex(@"^http://localhost/id/00D[A-Za-z0-9]{15}/005[A-Za-z0-9]{15}$")]
    private static partial Regex IdentityUrlPattern();
}
