using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthService.Tests;

/// <summary>
/// The AuthService as deployed (no <c>SERVER_ENV=local</c>): the password flow and the demo's query-string
/// login are off, and the routes are rate limited (driven by a fake clock, never the wall clock). Salesforce is
/// never reached in these tests.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class ProductionModeTests(RedisServerFixture redis) : IDisposable
{
    private const string ApiKey = "production-mode-internal-api-key";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private WebApplicationFactory<Program> _factory => field ??= new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
        .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_time))
        .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
        .UseSetting("LOGIN_URL", "https://login.example.invalid")
        .UseSetting("CLIENT_ID", "id")
        .UseSetting("CLIENT_SECRET_ID", "secret")
        .UseSetting("REDIRECT_URI", "https://auth.example.invalid/oauth2/success")
        .UseSetting("INTERNAL_API_KEY", ApiKey)
        .UseSetting("Introspection:PermitsPerSecond", "1")
        .UseSetting("Introspection:Burst", "5")
        .UseSetting("Introspection:WrongKeyPermitsPerSecond", "0.1")
        .UseSetting("Introspection:WrongKeyBurst", "100")
        .UseSetting("OAuthRateLimit:PermitsPerSecond", "1")
        .UseSetting("OAuthRateLimit:Burst", "3"));

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
    public async Task RapidIntrospectionsBeyondTheLimitGet429UntilTheBucketRefills()
    {
        using var client = _factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add(await IntrospectAsync(client, ApiKey));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 5)], statuses);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, await IntrospectAsync(client, ApiKey));
        Assert.Equal(HttpStatusCode.OK, await IntrospectAsync(client, ApiKey));
        Assert.Equal(HttpStatusCode.TooManyRequests, await IntrospectAsync(client, ApiKey));
    }

    [Fact]
    public async Task ApiKeyGuessesGet429WithinAFewHundredAttemptsAndNeverSpendTheKeyHoldersPermits()
    {
        using var client = _factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            statuses.Add(await IntrospectAsync(client, i % 2 == 0 ? "a-wrong-key-of-the-same-length!!" : null));
        }

        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.OK, await IntrospectAsync(client, ApiKey));
    }

    [Fact]
    public async Task PublicOAuthRoutesAreLimitedPerClientAddressWithRetryAfter()
    {
        using var client = _factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.PostAsync("/oauth2/token", new FormUrlEncodedContent([]));
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var limited = await client.PostAsync("/oauth2/revoke", new FormUrlEncodedContent([new("token", "t")]));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("slow_down", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // The introspection route has buckets of its own.
        Assert.Equal(HttpStatusCode.OK, await IntrospectAsync(client, ApiKey));
    }

    private static async Task<HttpStatusCode> IntrospectAsync(HttpClient client, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", "two words")]),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Internal-Api-Key", apiKey);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public void Dispose() => _factory.Dispose();
}
