using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace SalesforceEmulator.Tests;

public sealed class JwtBearerGrantTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task SignedAssertionGivesTokenWithoutSignatureIssuedAtOrRefreshToken()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(["access_token", "id", "instance_url", "scope", "token_type"], Salesforce.Names(body));
        Assert.Equal("http://localhost/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5", body.GetProperty("id").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("api id web full openid profile email address phone", body.GetProperty("scope").GetString());
        Assert.StartsWith("00D5g000004ABCD!", body.GetProperty("access_token").GetString(), StringComparison.Ordinal);

        using var identity = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, body.GetProperty("id").GetString()!, body.GetProperty("access_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, identity.StatusCode);
    }

    [Fact]
    public async Task PublicKeyPemWorksLikeACertificate()
    {
        using var factory = Factory(_key.ExportSubjectPublicKeyInfoPem());
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CertificateMayBeGivenAsAFilePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"emulator-test-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, Jwt.CertificatePem(_key));
        try
        {
            using var factory = Factory(path);
            using var client = factory.CreateClient();
            using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims()));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AssertionSignedByAnotherKeyIsAnInvalidAssertion()
    {
        using var other = RSA.Create(2048);
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(other, Jwt.BearerClaims()));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "invalid assertion");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("")]
    public async Task MalformedAssertionIsAnInvalidAssertion(string assertion)
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, assertion);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "invalid assertion");
    }

    [Fact]
    public async Task AlgorithmOtherThanRs256IsAnInvalidAssertion()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims(), algorithm: "RS512"));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "invalid assertion");
    }

    [Theory]
    [InlineData("https://login.salesforce.com")]
    [InlineData("http://localhost/services/oauth2/token")]
    [InlineData("http://other-host")]
    public async Task AudienceOtherThanTheLoginHostFailsAudienceValidation(string audience)
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims(audience)));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "audience validation failed");
    }

    [Fact]
    public async Task AudienceWithTrailingSlashIsTheLoginHost()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims("http://localhost/")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredAssertionGetsExpiredAuthorizationCode()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims(exp: EmulatorFactory.Start.ToUnixTimeSeconds())));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task AssertionExpiresOnTheFakeClock()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var assertion = Jwt.Sign(_key, Jwt.BearerClaims());
        factory.Time.Advance(TimeSpan.FromMinutes(3));
        using var response = await GrantAsync(client, assertion);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_grant", "expired authorization code");
    }

    [Fact]
    public async Task UnknownIssuerIsAnInvalidClientId()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims(issuer: "someone-else")));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client_id", "client identifier invalid");
    }

    [Fact]
    public async Task AppWithoutCertificateDoesNotSupportTheGrant()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims()));

        await Salesforce.AssertOAuthErrorAsync(response, "unsupported_grant_type", "grant type not supported");
    }

    [Theory]
    [InlineData("nobody@example.com")]
    [InlineData("second@example.com")]
    public async Task UserNotPreApprovedHasNotApprovedTheConsumer(string subject)
    {
        using var factory = Factory(settings: new()
        {
            ["Emulator:Apps:0:PreApprovedUsers:0"] = Salesforce.Username,
            ["Emulator:Users:0:Id"] = "005000000000002",
            ["Emulator:Users:0:Username"] = "second@example.com",
            ["Emulator:Users:0:Password"] = "pw",
        });
        using var client = factory.CreateClient();
        using var refused = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims(subject: subject)));
        using var approved = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims()));

        await Salesforce.AssertOAuthErrorAsync(refused, "invalid_grant", "user hasn't approved this consumer");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Fact]
    public async Task InactiveUserGetsInactiveUser()
    {
        using var factory = Factory(settings: new() { ["Emulator:Users:0:Id"] = "0055g00000DEMOU", ["Emulator:Users:0:Username"] = Salesforce.Username, ["Emulator:Users:0:Password"] = Salesforce.Password, ["Emulator:Users:0:Active"] = "false" });
        using var client = factory.CreateClient();
        using var response = await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims()));

        await Salesforce.AssertOAuthErrorAsync(response, "inactive_user", "user is inactive");
    }

    [Fact]
    public async Task ClientAssertionAuthenticatesTheClientInsteadOfASecret()
    {
        using var factory = Factory(settings: new() { ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username });
        using var client = factory.CreateClient();
        var assertion = Jwt.Sign(_key, new { iss = Salesforce.ClientId, sub = Salesforce.ClientId, aud = "http://localhost/services/oauth2/token", exp = EmulatorFactory.Start.AddMinutes(3).ToUnixTimeSeconds() });
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "client_credentials"), ("client_assertion_type", Jwt.ClientAssertionType), ("client_assertion", assertion)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(Salesforce.ExpectedSignature(Salesforce.ClientSecret, body.GetProperty("id").GetString()!, body.GetProperty("issued_at").GetString()!), body.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task ClientAssertionSignedByAnotherKeyIsInvalidClientCredentials()
    {
        using var other = RSA.Create(2048);
        using var factory = Factory(settings: new() { ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username });
        using var client = factory.CreateClient();
        var assertion = Jwt.Sign(other, new { iss = Salesforce.ClientId, sub = Salesforce.ClientId, aud = "http://localhost", exp = EmulatorFactory.Start.AddMinutes(3).ToUnixTimeSeconds() });
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "client_credentials"), ("client_assertion_type", Jwt.ClientAssertionType), ("client_assertion", assertion)));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client", "invalid client credentials");
    }

    [Fact]
    public async Task ClientAssertionOfTheWrongTypeIsInvalidClientCredentials()
    {
        using var factory = Factory(settings: new() { ["Emulator:Apps:0:ClientCredentialsUser"] = Salesforce.Username });
        using var client = factory.CreateClient();
        var assertion = Jwt.Sign(_key, new { iss = Salesforce.ClientId, sub = Salesforce.ClientId, aud = "http://localhost", exp = EmulatorFactory.Start.AddMinutes(3).ToUnixTimeSeconds() });
        using var response = await client.PostAsync(Salesforce.TokenPath, Salesforce.Form(
            ("grant_type", "client_credentials"), ("client_id", Salesforce.ClientId), ("client_assertion_type", "urn:other"), ("client_assertion", assertion)));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_client", "invalid client credentials");
    }

    [Fact]
    public async Task RequestLogRecordsTheJwtBearerGrantType()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        (await GrantAsync(client, Jwt.Sign(_key, Jwt.BearerClaims()))).Dispose();
        using var log = await client.GetAsync("/_emulator/requests");

        var entry = Assert.Single((await Salesforce.JsonAsync(log)).EnumerateArray());
        Assert.Equal(Jwt.BearerGrantType, entry.GetProperty("grantType").GetString());
        Assert.Equal(JsonValueKind.String, entry.GetProperty("at").ValueKind);
    }

    private EmulatorFactory Factory(string? certificate = null, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? [])
        {
            ["Emulator:Apps:0:ClientId"] = Salesforce.ClientId,
            ["Emulator:Apps:0:JwtCertificate"] = certificate ?? Jwt.CertificatePem(_key),
        };
        return new EmulatorFactory(all);
    }

    private static Task<HttpResponseMessage> GrantAsync(HttpClient client, string assertion) =>
        client.PostAsync(Salesforce.TokenPath, Salesforce.Form(("grant_type", Jwt.BearerGrantType), ("assertion", assertion)));
}
