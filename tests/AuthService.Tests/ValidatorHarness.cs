using AuthService.RateLimiting;
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

    public ValidatorHarness(IConnectionMultiplexer redis, Action<TokenCacheOptions>? cache = null, Action<SalesforceOptions>? salesforce = null, Action<IntrospectionLimits>? limits = null)
    {
        Salesforce.Answer = request => Task.FromResult(request.RequestUri!.AbsolutePath switch
        {
            "/services/oauth2/introspect" => Introspection(),
            "/services/oauth2/userinfo" => FakeSalesforce.UserInfo(),
            _ => FakeSalesforce.Json("{}", System.Net.HttpStatusCode.NotFound),
        });
        cache?.Invoke(CacheOptions);
        salesforce?.Invoke(SalesforceOptions);
        limits?.Invoke(Limits);
        // The product's own HttpClient pipeline to Salesforce (breaker, timeout, size cap), with the fake as its wire.
        var services = new ServiceCollection().AddMetrics().AddLogging();
        services.AddSingleton(Options.Create(SalesforceOptions));
        services.AddSingleton<AuthMetrics>();
        services.AddSalesforceClient().ConfigurePrimaryHttpMessageHandler(() => Salesforce);
        Services = services.BuildServiceProvider();
        Metrics = Services.GetRequiredService<AuthMetrics>();
        Client = Services.GetRequiredService<SalesforceClient>();
        var seal = new CacheSeal(Options.Create(new InternalApiOptions { ApiKey = "an-internal-api-key-for-tests" }));
        Revocations = new RevocationMemory(Time);
        Revocations.StartListening();
        var redisCalls = new RedisCalls(redis, Options.Create(new RedisCallOptions()), NullLogger<RedisCalls>.Instance);
        Cache = new TokenCache(redisCalls, seal, Revocations, Options.Create(CacheOptions), Options.Create(SalesforceOptions), Time, NullLogger<TokenCache>.Instance);
        PasswordSessions = new PasswordSessions(redisCalls, seal, NullLogger<PasswordSessions>.Instance);
        Budget = new SalesforceCallBudget(Options.Create(Limits), Time);
        Validator = new TokenValidator(Client, Cache, PasswordSessions, Budget, Options.Create(SalesforceOptions), Metrics, Time);
    }

    public FakeSalesforce Salesforce { get; } = new();

    /// <summary>Starts at the real time, so that Redis's own TTLs and the fake clock agree until a test moves it.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public TokenCacheOptions CacheOptions { get; } = new();

    public IntrospectionLimits Limits { get; } = new();

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

    /// <summary>Holds the meter factory, so that tests can read the metrics with <c>MetricCollector</c>.</summary>
    public ServiceProvider Services { get; }

    public AuthMetrics Metrics { get; }

    public SalesforceClient Client { get; }

    public RevocationMemory Revocations { get; }

    public TokenCache Cache { get; }

    public PasswordSessions PasswordSessions { get; }

    public SalesforceCallBudget Budget { get; }

    public TokenValidator Validator { get; }

    public int Introspections => Salesforce.CallsTo("/services/oauth2/introspect");

    public int UserInfoCalls => Salesforce.CallsTo("/services/oauth2/userinfo");

    public static string NewToken() => $"00D5g000004ABCD!{Guid.NewGuid():N}{Guid.NewGuid():N}";

    public long SecondsFromNow(TimeSpan offset) => (Time.GetUtcNow() + offset).ToUnixTimeSeconds();

    public void Dispose()
    {
        Budget.Dispose();
        Salesforce.Dispose();
        Services.Dispose();
    }
}
