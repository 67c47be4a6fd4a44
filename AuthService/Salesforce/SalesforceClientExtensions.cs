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
        // RemoveAllResilienceHandlers is experimental, but it is the documented way to replace the standard
        // handler that ServiceDefaults adds to every client.
#pragma warning disable EXTEXP0001
        var client = services.AddHttpClient<SalesforceClient>()
            // Never follow a redirect: a 3xx from Salesforce is a fault, and following one could reach any host.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient(client =>
            {
                client.MaxResponseContentBufferSize = MaxResponseBytes;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // Replace the default handler: a code or refresh exchange must never be retried (single use), and
            // an auth hop needs a short budget with a breaker rather than long retries.
            .RemoveAllResilienceHandlers();
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
#pragma warning restore EXTEXP0001
        return client;
    }
}
