using System.Diagnostics.Metrics;
using AuthService.Salesforce;
using AuthService.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AuthService.Tests;

/// <summary>The AuthService's validation path wired as in the service, on real Redis, a fake clock and <see cref="FakeSalesforce"/>.</summary>
public sealed class ValidatorHarness : IDisposable
{
    public const string ClientId = "our-client-id";
    public const string OrgId = "00D5g000004ABCDEA4";

    public ValidatorHarness(IConnectionMultiplexer redis, Action<TokenCacheOptions>? cache = null, Action<SalesforceOptions>? salesforce = null)
    {
        Salesforce.Answer = request => Task.FromResult(request.RequestUri!.AbsolutePath switch
        {
            "/services/oauth2/introspect" => Introspection(),
            "/services/oauth2/userinfo" => FakeSalesforce.UserInfo(),
            _ => FakeSalesforce.Json("{}", System.Net.HttpStatusCode.NotFound),
        });
        cache?.Invoke(CacheOptions);
        salesforce?.Invoke(SalesforceOptions);
        HttpClient = new HttpClient(Salesforce);
        Services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new AuthMetrics(Services.GetRequiredService<IMeterFactory>());
        Client = new SalesforceClient(HttpClient, Options.Create(SalesforceOptions), Metrics, NullLogger<SalesforceClient>.Instance);
        Cache = new TokenCache(redis, Options.Create(CacheOptions), Options.Create(new InternalApiOptions { ApiKey = "an-internal-api-key-for-tests" }), Time, NullLogger<TokenCache>.Instance);
        Validator = new TokenValidator(Client, Cache, Options.Create(SalesforceOptions), Metrics, Time);
    }

    public FakeSalesforce Salesforce { get; } = new();

    /// <summary>Starts at the real time, so that Redis's own TTLs and the fake clock agree until a test moves it.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public TokenCacheOptions CacheOptions { get; } = new();

    public SalesforceOptions SalesforceOptions { get; } = new()
    {
        LoginUrl = new Uri("https://login.example.com"),
        ClientId = ClientId,
        ClientSecret = "our-client-secret",
        RedirectUri = new Uri("https://auth.example.com/oauth2/success"),
    };

    /// <summary>What introspection answers; by default an active token of ours that lives two hours.</summary>
    public Func<HttpResponseMessage> Introspection { get; set; }
        = () => FakeSalesforce.Active(ClientId, DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds());

    public HttpClient HttpClient { get; }

    /// <summary>Holds the meter factory, so that tests can read the metrics with <c>MetricCollector</c>.</summary>
    public ServiceProvider Services { get; }

    public AuthMetrics Metrics { get; }

    public SalesforceClient Client { get; }

    public TokenCache Cache { get; }

    public TokenValidator Validator { get; }

    public int Introspections => Salesforce.CallsTo("/services/oauth2/introspect");

    public static string NewToken() => $"00D5g000004ABCD!{Guid.NewGuid():N}{Guid.NewGuid():N}";

    public long SecondsFromNow(TimeSpan offset) => (Time.GetUtcNow() + offset).ToUnixTimeSeconds();

    public void Dispose()
    {
        HttpClient.Dispose();
        Salesforce.Dispose();
        Services.Dispose();
    }
}
