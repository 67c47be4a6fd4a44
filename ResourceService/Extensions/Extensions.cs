using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;
using ResourceService.Authentication;
using ResourceService.AuthServiceClient;

namespace ResourceService;

internal static class Extensions
{
    /// <summary>Registers the AuthService client and the authentication that relies on it.</summary>
    public static void AddResourceService(this IHostApplicationBuilder builder)
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
        // RemoveAllResilienceHandlers is experimental, but it is the documented way to replace the standard
        // handler that ServiceDefaults adds to every client.
#pragma warning disable EXTEXP0001
        builder.Services.AddRefitGeneratedClient<IAuthServiceApi>(AuthServiceJsonContext.Default)
            .ConfigureHttpClient((services, client) => client.BaseAddress = services.GetRequiredService<IOptions<AuthServiceOptions>>().Value.BaseAddress)
            .AddHttpMessageHandler<InternalApiKeyHandler>()
            // An auth hop: a short budget and a breaker, and no retries (a retry storm against a struggling
            // AuthService, and through it Salesforce, is worse than a quick 503).
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("authservice", pipeline =>
            {
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    MinimumThroughput = 20,
                    FailureRatio = 0.5,
                    BreakDuration = TimeSpan.FromSeconds(5),
                });
                // Longer than the AuthService's own Salesforce budget (3 s), so its 503 arrives as such.
                pipeline.AddTimeout(TimeSpan.FromSeconds(4));
            });
#pragma warning restore EXTEXP0001

        builder.Services.AddAuthentication(ResourceDefaults.AuthenticationScheme)
            .AddScheme<SalesforceTokenOptions, SalesforceTokenHandler>(ResourceDefaults.AuthenticationScheme, options => options.Realm = ResourceDefaults.Realm);
        builder.Services.AddAuthorization();
    }
}
