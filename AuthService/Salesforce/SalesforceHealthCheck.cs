using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthService.Salesforce;

/// <summary>Readiness: the configured Salesforce host answers its OpenID discovery document.</summary>
internal sealed class SalesforceHealthCheck(SalesforceClient salesforce) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await salesforce.DiscoverAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (UpstreamUnavailableException)
        {
            return HealthCheckResult.Unhealthy("Salesforce's discovery document could not be read.");
        }
    }
}
