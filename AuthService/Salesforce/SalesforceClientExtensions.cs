using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace AuthService.Salesforce;

internal static class SalesforceClientExtensions
{
    /// <summary>Response bodies larger than this are a fault, not something to buffer (a token answer is ~2 KB).</summary>
    private const long MaxResponseBytes = 256 * 1024;

    /// <summary>The one HttpClient pipeline to Salesforce; tests swap only its primary handler, so its limits stay under test.</summary>
    public static IHttpClientBuilder AddSalesforceClient(this IServiceCollection services)
    {
        var client = services.AddHttpClient<SalesforceClient>()
            // Never follow a redirect: a 3xx from Salesforce is a fault, and following one could reach any host.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient(client =>
            {
                client.MaxResponseContentBufferSize = MaxResponseBytes;
                client.Timeout = Timeout.InfiniteTimeSpan;
            });
        // A breaker and a short budget, never a retry: a code or refresh exchange is single use, and an auth hop
        // needs a quick answer rather than long retries.
        client.AddResilienceHandler("salesforce", pipeline =>
        {
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                SamplingDuration = TimeSpan.FromSeconds(30),
                MinimumThroughput = 10,
                FailureRatio = 0.5,
                BreakDuration = TimeSpan.FromSeconds(5),
            });
            pipeline.AddTimeout(TimeSpan.FromSeconds(3));
        });
        return client;
    }
}
