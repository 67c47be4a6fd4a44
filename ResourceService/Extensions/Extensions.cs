using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;
using ResourceService.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResourceService.AuthServiceClient;
using ResourceService.Caching;
using ResourceService.Authorization;

namespace ResourceService;

internal static class Extensions
{
    /// <summary>Registers the AuthService client, the authentication that relies on it, and the scope policies.</summary>
    public static void AddResourceService(this IHostApplicationBuilder builder)
    {
        // Authentication pulls in Data Protection, whose default key ring is written to ~/.aspnet at start. This
        // service protects nothing (no cookies), so keep its keys in memory: a Heroku dyno's disk stays untouched.
        builder.Services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider, Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider>();

        builder.AddAuthServiceClient();
        builder.AddApiDocumentation();
        builder.AddLocalValidationCache();
        builder.Services.AddAuthentication(ResourceDefaults.AuthenticationScheme).AddSalesforceToken();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ResourceDefaults.ApiScopePolicy, policy => policy.RequireScope(ResourceDefaults.ApiScope));
    }

    /// <summary>
    /// The Refit client for the AuthService's <c>/oauth2/introspect</c>: <c>AUTH_SERVICE_URL</c> (else Aspire
    /// service discovery), the <c>INTERNAL_API_KEY</c> on every call, no redirects, a bounded answer, one
    /// budget, a circuit breaker and one retry when a connection dies before its answer.
    /// </summary>
    public static IHttpClientBuilder AddAuthServiceClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthServiceOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.AuthServiceUrl = configuration["AUTH_SERVICE_URL"];
                options.ApiKey = configuration["INTERNAL_API_KEY"] ?? "";
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthServiceOptions>, AuthServiceOptionsValidator>();

        builder.Services.AddTransient<InternalApiKeyHandler>();
        builder.Services.AddTransient<BoundedResponseHandler>();
        // RemoveAllResilienceHandlers is experimental, but it is the documented way to replace the standard
        // handler that ServiceDefaults adds to every client.
#pragma warning disable EXTEXP0001
        var client = builder.Services.AddRefitGeneratedClient<IAuthServiceApi>(AuthServiceJsonContext.Default)
            .ConfigureHttpClient((services, http) => http.BaseAddress = services.GetRequiredService<IOptions<AuthServiceOptions>>().Value.BaseAddress)
            // A followed redirect would carry the internal API key wherever it points: a 3xx is a fault like any non-200.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .AddHttpMessageHandler<InternalApiKeyHandler>()
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // An auth hop: one budget for the whole call, a breaker, and one retry only when no answer came back at
        // all (refused, reset, cut off: a replica or dyno that died). Asking again is safe, since an introspection
        // changes nothing, and a new connection through the load balancer finds a live instance. Never a retry
        // on an answer or a timeout: a retry storm against a struggling AuthService, and through it Salesforce,
        // is worse than a quick 503.
        client.AddResilienceHandler("authservice", (pipeline, context) =>
        {
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<AuthServiceOptions>>().Value.AttemptTimeout);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 1,
                Delay = TimeSpan.Zero,
                ShouldHandle = args => ValueTask.FromResult(NoAnswer.Is(args.Outcome.Exception)),
            });
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                SamplingDuration = TimeSpan.FromSeconds(30),
                MinimumThroughput = 20,
                FailureRatio = 0.5,
                BreakDuration = TimeSpan.FromSeconds(ResourceDefaults.RetryAfterSeconds),
            });
        });

        // Innermost, so reading the body counts against the attempt timeout.
        return client.AddHttpMessageHandler<BoundedResponseHandler>();
    }

    /// <summary>
    /// The in-process cache of confirmed tokens, with revocations heard over Redis. Without Redis the cache
    /// stays off: every request asks the AuthService, so a revocation still takes effect at once.
    /// </summary>
    public static void AddLocalValidationCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LocalCacheOptions>()
            .BindConfiguration(LocalCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LocalValidationCache>();
        if (builder.AddRedisFromEnvironment(ResourceDefaults.RedisConnectionName, required: false))
        {
            builder.Services.AddHostedService<RevocationListener>();
        }
    }
}
