using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using AuthService.Apis;
using AuthService.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthService;

/// <summary>
/// Limits on <c>/oauth2/introspect</c>. Callers holding the internal API key share a generous bucket per key
/// (answers from the cache cost little); callers without it get a strict bucket per client address, so key
/// guessing is cut off within a few hundred attempts and never takes a valid caller's permits. Validations
/// that must ask Salesforce draw on a bucket of their own per instance (<see cref="SalesforceCallBudget"/>).
/// </summary>
public sealed class IntrospectionLimits
{
    public const string SectionName = "Introspection";
    public const string PolicyName = "introspect";

    [Range(0.001, 1_000_000)]
    public double PermitsPerSecond { get; set; } = 5000;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 10000;

    [Range(0.001, 1_000_000)]
    public double WrongKeyPermitsPerSecond { get; set; } = 0.5;

    [Range(1, 1_000_000)]
    public int WrongKeyBurst { get; set; } = 100;

    [Range(0.001, 1_000_000)]
    public double SalesforcePermitsPerSecond { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int SalesforceBurst { get; set; } = 400;
}

/// <summary>Per client address on the public OAuth routes (authorize, callback, token, login, refresh, revoke).</summary>
public sealed class OAuthLimits
{
    public const string SectionName = "OAuthRateLimit";
    public const string PolicyName = "oauth";

    [Range(0.001, 1_000_000)]
    public double PermitsPerSecond { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 60;
}

internal static class RateLimitRegistration
{
    public static void AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IntrospectionLimits>().BindConfiguration(IntrospectionLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<OAuthLimits>().BindConfiguration(OAuthLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SalesforceCallBudget>();

        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(response.WriteAsJsonAsync(
                    new OAuthError("slow_down", $"Too many requests from this client; retry after {retryAfter} s."),
                    AuthJsonContext.Default.OAuthError,
                    cancellationToken: cancellationToken));
            };

            options.AddPolicy(IntrospectionLimits.PolicyName, context =>
            {
                var services = context.RequestServices;
                var limits = services.GetRequiredService<IOptions<IntrospectionLimits>>().Value;
                var time = services.GetRequiredService<TimeProvider>();
                // The key is checked before anything else: a caller without it never shares a bucket with one that has it.
                return InternalApiKeyFilter.HasValidKey(context)
                    ? RateLimitPartition.Get("key", _ => new TokenBucket(new(limits.Burst, limits.PermitsPerSecond), time))
                    : RateLimitPartition.Get($"no-key:{ClientAddress(context)}", _ => new TokenBucket(new(limits.WrongKeyBurst, limits.WrongKeyPermitsPerSecond), time));
            });

            options.AddPolicy(OAuthLimits.PolicyName, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<OAuthLimits>>().Value;
                var time = context.RequestServices.GetRequiredService<TimeProvider>();
                return RateLimitPartition.Get(ClientAddress(context), _ => new TokenBucket(new(limits.Burst, limits.PermitsPerSecond), time));
            });
        });
    }

    /// <summary>The caller's address as the forwarded-headers middleware resolved it (behind Heroku's router: its one hop).</summary>
    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
