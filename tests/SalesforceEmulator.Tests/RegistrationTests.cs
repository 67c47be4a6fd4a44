using System.Net;
using System.Net.Http.Json;

namespace SalesforceEmulator.Tests;

/// <summary>The discovery document's <c>registration_endpoint</c> answers, and refuses every caller without an initial access token.</summary>
public sealed class RegistrationTests
{
    private const string RegisterPath = "/services/oauth2/register";

    private static readonly object Metadata = new
    {
        redirect_uris = new[] { "http://localhost/callback" },
        grant_types = new[] { "authorization_code" },
        client_name = "Registered by a test",
    };

    [Fact]
    public async Task RegistrationWithoutAnInitialAccessTokenIs401InvalidToken()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync(RegisterPath, Metadata);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_token", "an initial access token is required", HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task RegistrationWithAnyBearerTokenIsRefusedAndNoAppAppears()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var accessToken = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var request = Salesforce.Bearer(HttpMethod.Post, RegisterPath, accessToken);
        request.Content = JsonContent.Create(Metadata);
        using var response = await client.SendAsync(request);

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_token", "the initial access token is invalid", HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/customers")]
    public async Task EveryMethodAndSitePrefixGetsTheSame401(string method, string prefix)
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { ["Emulator:Sites:0:Prefix"] = "customers" });
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), prefix + RegisterPath));

        await Salesforce.AssertOAuthErrorAsync(response, "invalid_token", "an initial access token is required", HttpStatusCode.Unauthorized);
    }
}
