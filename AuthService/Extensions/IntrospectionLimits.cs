using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using AuthService.Apis;

namespace AuthService;

/// <summary>How fast one caller may ask <c>/oauth2/introspect</c>: a flood of made-up tokens (or API key guesses) gets 429.</summary>
public sealed class IntrospectionLimits
{
    public const string SectionName = "Introspection";
    public const string PolicyName = "introspect";

    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 1000;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 2000;
}

internal static class IntrospectionRateLimiting
{
    /// <summary>A token bucket per caller address (behind Heroku's router, the one hop it forwards).</summary>
    public static void AddIntrospectionRateLimiting(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(IntrospectionLimits.SectionName).Get<IntrospectionLimits>() ?? new IntrospectionLimits();
        Validator.ValidateObject(limits, new ValidationContext(limits), validateAllProperties: true);

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
                    new OAuthError("slow_down", "Too many introspection requests from this caller; retry after a second."),
                    AuthJsonContext.Default.OAuthError,
                    cancellationToken: cancellationToken));
            };
            options.AddPolicy(IntrospectionLimits.PolicyName, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
        });
    }
}
