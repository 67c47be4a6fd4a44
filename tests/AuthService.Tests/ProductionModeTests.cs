using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthService.Tests;

/// <summary>
/// The AuthService as deployed (no <c>SERVER_ENV=local</c>): the password flow and the demo's query-string
/// login are off, and introspection is rate limited. Salesforce is never reached in these tests.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class ProductionModeTests(RedisServerFixture redis) : IDisposable
{
    private const string ApiKey = "production-mode-internal-api-key";

    private readonly WebApplicationFactory<Program> _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
        .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
        .UseSetting("LOGIN_URL", "https://login.example.invalid")
        .UseSetting("CLIENT_ID", "id")
        .UseSetting("CLIENT_SECRET_ID", "secret")
        .UseSetting("REDIRECT_URI", "https://auth.example.invalid/oauth2/success")
        .UseSetting("INTERNAL_API_KEY", ApiKey)
        .UseSetting("Introspection:PermitsPerSecond", "1")
        .UseSetting("Introspection:Burst", "5"));

    [Fact]
    public async Task PasswordLoginIs404WhenThePasswordFlowIsOffByDefault()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync("/oauth2/login", new FormUrlEncodedContent([new("username", "u"), new("password", "p")]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task DemoQueryLoginIs405TellingTheCallerToPost()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/oauth2/login?username=u&password=p");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        Assert.Contains("POST /oauth2/login", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RapidIntrospectionsBeyondTheLimitGet429()
    {
        using var client = _factory.CreateClient();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect")
            {
                Content = new FormUrlEncodedContent([new("token", "two words")]),
            };
            request.Headers.Add("X-Internal-Api-Key", ApiKey);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
    }

    public void Dispose() => _factory.Dispose();
}
