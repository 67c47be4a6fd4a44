using System.Net;
using AuthService.Salesforce;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using SalesforceIdentity.AspNetCore;
using SalesforceIdentity.Contract;

namespace AuthService.Tests;

/// <summary>
/// Issue 15's one contract, from both sides: the real AuthService's <c>/oauth2/introspect</c> answers, read by the
/// SalesforceIdentity.AspNetCore package's own validator through its own client (API key, bounded body, JSON).
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class ContractTests(RedisServerFixture redis) : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "contract-test-internal-api-key";
    private const string ValidToken = "00D5g000004ABCD!contract.valid";
    private static readonly long ExpiresAt = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();

    private readonly FakeSalesforce _salesforce = new();
    private WebApplicationFactory<Program> _authService = null!;
    private ServiceProvider _api = null!;

    public Task InitializeAsync()
    {
        _salesforce.Answer = async request => request.RequestUri!.AbsolutePath switch
        {
            "/services/oauth2/introspect" => (await request.Content!.ReadAsStringAsync()).Contains(Uri.EscapeDataString(ValidToken), StringComparison.Ordinal)
                ? FakeSalesforce.Active(ValidatorHarness.ClientId, ExpiresAt)
                : FakeSalesforce.Json("""{"active":false}"""),
            "/services/oauth2/userinfo" => FakeSalesforce.UserInfo(),
            _ => FakeSalesforce.Json("{}", HttpStatusCode.NotFound),
        };
        _authService = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
            .UseSetting("LOGIN_URL", "https://login.example.com")
            .UseSetting("CLIENT_ID", ValidatorHarness.ClientId)
            .UseSetting("CLIENT_SECRET_ID", "secret")
            .UseSetting("REDIRECT_URI", "https://auth.example.com/oauth2/success")
            .UseSetting(InternalApi.ApiKeySetting, ApiKey)
            .ConfigureTestServices(services => services.AddHttpClient<SalesforceClient>().ConfigurePrimaryHttpMessageHandler(() => _salesforce)));

        // The package as an API registers it, its client's connections going to the AuthService above.
        var services = new ServiceCollection();
        services.AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSalesforceTokenValidation(options =>
        {
            options.AuthServiceUrl = "http://authservice.test";
            options.ApiKey = ApiKey;
        });
        services.AddSingleton<IHttpMessageHandlerBuilderFilter>(new ToServer(_authService.Server));
        _api = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AnActiveAnswerOfTheAuthServiceIsTheCallerThePackageExpects()
    {
        var verdict = await _api.GetRequiredService<SalesforceTokenValidator>().ValidateAsync(ValidToken, null, default);

        Assert.Equal(TokenVerdictKind.Confirmed, verdict.Kind);
        var answer = verdict.Caller!.Introspection;
        Assert.True(answer.Active);
        Assert.Equal("0055g00000DEMOUAA5", answer.UserId);
        Assert.Equal(ValidatorHarness.OrgId, answer.OrganizationId);
        Assert.Equal("u@example.com", answer.Username);
        Assert.Equal(ValidatorHarness.ClientId, answer.ClientId);
        Assert.Equal(IntrospectionResponse.AccessTokenType, answer.TokenType);
        Assert.Equal(ExpiresAt, answer.ExpiresAt);
        Assert.Equal("api id", answer.Scope);
        Assert.False(string.IsNullOrEmpty(answer.InstanceUrl));
    }

    [Fact]
    public async Task AnInactiveAnswerOfTheAuthServiceIsARefusalNotAFault()
    {
        var verdict = await _api.GetRequiredService<SalesforceTokenValidator>().ValidateAsync("00D5g000004ABCD!contract.revoked", null, default);

        Assert.Equal(TokenVerdictKind.Refused, verdict.Kind);
    }

    [Fact]
    public async Task TheAuthServiceRefusesTheWrongKeyWithTheContractsErrorBody()
    {
        using var client = _authService.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, InternalApi.IntrospectionPath) { Content = new IntrospectionRequest { Token = ValidToken }.ToContent() };
        request.Headers.Add(InternalApi.ApiKeyHeader, "not-the-key-but-as-long");

        using var response = await client.SendAsync(request);
        var error = System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ContractJsonContext.Default.OAuthError);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", error!.Error);
        Assert.Contains(InternalApi.ApiKeyHeader, error.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuthServicePublishesItsValidationSettingsToKeyHoldersOnly()
    {
        using var client = _authService.CreateClient();
        using var withKey = new HttpRequestMessage(HttpMethod.Get, InternalApi.ValidationSettingsPath);
        withKey.Headers.Add(InternalApi.ApiKeyHeader, ApiKey);
        using var withoutKey = new HttpRequestMessage(HttpMethod.Get, InternalApi.ValidationSettingsPath);

        using var answer = await client.SendAsync(withKey);
        using var refused = await client.SendAsync(withoutKey);
        var settings = System.Text.Json.JsonSerializer.Deserialize(await answer.Content.ReadAsStringAsync(), ContractJsonContext.Default.ValidationSettings)!;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        Assert.Equal(ValidatorHarness.ClientId, settings.ClientId);
        // Without Salesforce__JwtIssuers, a login URL that is a My Domain is the issuer.
        Assert.Equal(["https://login.example.com"], settings.Issuers);
        Assert.Empty(settings.AllowedOrgIds);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData(null, "https://login.salesforce.com", null, "")]
    [InlineData("https://Acme.my.salesforce.com/, https://second.my.salesforce.com", "https://login.salesforce.com", "00D5g000004ABCDEA4,00DgK000000OMLx", "https://acme.my.salesforce.com https://second.my.salesforce.com|00D5g000004ABCD 00DgK000000OMLx")]
    [InlineData(null, "http://localhost:5100/", null, "http://localhost:5100")]
    public void SettingsNameTheConfiguredMyDomainsAndOrgs(string? jwtIssuers, string loginUrl, string? allowedOrgIds, string expected)
    {
        var options = new SalesforceOptions { JwtIssuers = jwtIssuers, LoginUrl = new Uri(loginUrl), AllowedOrgIds = allowedOrgIds };

        var published = string.Join(' ', options.Issuers) + (options.AllowedOrgs.Count > 0 ? "|" + string.Join(' ', options.AllowedOrgs.Order(StringComparer.Ordinal)) : "");

        Assert.Equal(expected, published);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authService.DisposeAsync();
    }

    public void Dispose() => _salesforce.Dispose();

    /// <summary>The package's client keeps its own handlers; only the wire is swapped for the in-memory server.</summary>
    private sealed class ToServer(TestServer server) : IHttpMessageHandlerBuilderFilter
    {
        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            next(builder);
            builder.PrimaryHandler = server.CreateHandler();
        };
    }
}
