using Microsoft.Extensions.Options;

namespace AuthService.RateLimiting;

/// <summary>
/// How many token validations per second this instance may take to Salesforce. The limit sits in front of
/// Salesforce, not in front of answers served from the cache: a caller presenting known tokens is never
/// slowed by it, and a flood of new tokens costs Salesforce (and the org's API allowance) a bounded rate.
/// </summary>
public sealed class SalesforceCallBudget(IOptions<IntrospectionLimits> options, TimeProvider time) : IDisposable
{
    private readonly TokenBucket _bucket = new(new(options.Value.SalesforceBurst, options.Value.SalesforcePermitsPerSecond), time);

    /// <summary>Takes one call from the budget, or throws <see cref="SalesforceBudgetExceededException"/>.</summary>
    public void Spend()
    {
        using var lease = _bucket.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            throw new SalesforceBudgetExceededException(lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose() => _bucket.Dispose();
}

/// <summary>The instance's budget of Salesforce validations is spent for now; answered 429 with <c>Retry-After</c>.</summary>
public sealed class SalesforceBudgetExceededException(TimeSpan retryAfter)
    : Exception("Too many validations need Salesforce at once.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
