using System.Diagnostics.Metrics;

namespace AuthService;

/// <summary>
/// The AuthService's own metrics, shown on the Aspire dashboard beside the framework's: validations by
/// outcome, validation-cache hits and misses, Salesforce call latency, refreshes and revocations.
/// Tags hold outcomes and operation names only, never a token or user.
/// </summary>
public sealed class AuthMetrics
{
    public const string MeterName = "SalesforceIdentity.AuthService";

    private readonly Counter<long> _validations;
    private readonly Counter<long> _cacheLookups;
    private readonly Histogram<double> _salesforceDuration;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _revocations;

    public AuthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _validations = meter.CreateCounter<long>("auth.token.validations", "{validation}", "Token validations answered, by outcome (active, inactive, error).");
        _cacheLookups = meter.CreateCounter<long>("auth.token.cache.lookups", "{lookup}", "Validation-cache lookups, by result (hit, miss).");
        _salesforceDuration = meter.CreateHistogram<double>("auth.salesforce.duration", "s", "Duration of calls to Salesforce, by operation and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _refreshes = meter.CreateCounter<long>("auth.refreshes", "{refresh}", "Refresh requests, by outcome (refreshed, refused, error).");
        _revocations = meter.CreateCounter<long>("auth.revocations", "{revocation}", "Revocations passed to Salesforce, by outcome (revoked, error).");
    }

    public void Validated(string outcome) => _validations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void CacheLookup(bool hit) => _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void SalesforceCall(string operation, string outcome, TimeSpan duration) =>
        _salesforceDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", outcome));

    public void Refreshed(string outcome) => _refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Revoked(string outcome) => _revocations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
