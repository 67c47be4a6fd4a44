using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.AuthServiceClient;

internal static class AuthServiceClientRegistration
{
    /// <summary>
    /// The Refit client for the AuthService's <c>/oauth2/introspect</c>: the configured base address, the internal
    /// API key on every call, no redirects, a bounded answer, one budget, a circuit breaker, and one retry when a
    /// connection dies before its answer.
    /// </summary>
    public static void AddAuthServiceClient(this IServiceCollection services)
    {
        services.AddTransient<InternalApiKeyHandler>();
        services.AddTransient<BoundedResponseHandler>();
        // A user's ConfigureHttpClientDefaults(AddStandardResilienceHandler), as the Aspire template writes it, would
        // retry an introspection three times: this client brings its own pipeline instead. RemoveAllResilienceHandlers
        // is experimental, but it is the documented way to do that.
#pragma warning disable EXTEXP0001
        var client = services.AddRefitGeneratedClient<IAuthServiceApi>(ContractJsonContext.Default)
            .ConfigureHttpClient((provider, http) => http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<SalesforceTokenValidationOptions>>().Value.AuthServiceUrl!))
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
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<SalesforceTokenValidationOptions>>().Value.AttemptTimeout);
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
                BreakDuration = TimeSpan.FromSeconds(SalesforceTokenDefaults.RetryAfterSeconds),
            });
        });

        // Innermost, so reading the body counts against the attempt timeout.
        client.AddHttpMessageHandler<BoundedResponseHandler>();
    }

    /// <summary>
    /// The HttpClient that fetches a My Domain's <c>/id/keys</c>: no redirects (keys come from the configured host only),
    /// the attempt timeout, no retries (the next token asks again, after a pause).
    /// </summary>
    public static void AddJwtKeysClient(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001
        services.AddHttpClient(Jwt.JwtSigningKeys.HttpClientName)
            .ConfigureHttpClient((provider, http) => http.Timeout = provider.GetRequiredService<IOptions<SalesforceTokenValidationOptions>>().Value.AttemptTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
