using AuthService.Salesforce;
using Microsoft.Extensions.Options;

namespace AuthService.Tokens;

/// <summary>
/// Decides whether a token opens this product's APIs: active at the configured Salesforce host, an
/// access token, issued to our connected app, from an allowed org, not expired. Answers from the
/// Redis cache when it can; concurrent misses for one token on this instance share one Salesforce call.
/// </summary>
public sealed class TokenValidator(SalesforceClient salesforce, TokenCache cache, IOptions<SalesforceOptions> options, AuthMetrics metrics, TimeProvider time)
{
    // Checklist 14: a fault in the shared call makes the callers who joined it try once more (together).
    private readonly SingleFlight<TokenValidation> _inFlight = new(joinersRetryOnce: true);

    public async Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!TokenFormat.IsWellFormed(token))
        {
            metrics.Validated("malformed");
            return TokenValidation.Inactive;
        }

        var key = RedisKeys.Token(token);
        if (await cache.GetAsync(key) is { } cached && StillValid(cached))
        {
            metrics.CacheLookup(hit: true);
            metrics.Validated(cached.Active ? "active" : "inactive");
            return cached;
        }

        metrics.CacheLookup(hit: false);
        try
        {
            // The shared call is not tied to any caller: one caller giving up does not fail the others.
            var validation = await _inFlight.RunAsync(key, () => FetchAndCacheAsync(token, key), cancellationToken);
            metrics.Validated(validation.Active ? "active" : "inactive");
            return validation;
        }
        catch (UpstreamUnavailableException)
        {
            metrics.Validated("error");
            throw;
        }
    }

    /// <summary>After a revoke: the token, and the tokens of <paramref name="relatedKeys"/>, are inactive everywhere at once.</summary>
    public Task RevokeAsync(string token, IEnumerable<string> relatedKeys) =>
        Task.WhenAll(relatedKeys.Append(RedisKeys.Token(token)).Distinct().Select(cache.RevokeAsync));

    private async Task<TokenValidation> FetchAndCacheAsync(string token, string key)
    {
        // A caller that missed just before the previous shared call stored its answer finds it here.
        if (await cache.GetAsync(key) is { } cached && StillValid(cached))
        {
            return cached;
        }

        var introspection = await salesforce.IntrospectAsync(token, CancellationToken.None);
        var validation = Evaluate(introspection);
        if (validation.Active)
        {
            var instanceUrl = await salesforce.GetInstanceUrlAsync(token, CancellationToken.None);
            validation = validation with { InstanceUrl = instanceUrl?.ToString().TrimEnd('/') };
        }

        await cache.SetAsync(key, validation);
        return validation;
    }

    private TokenValidation Evaluate(Introspection introspection)
    {
        var salesforceOptions = options.Value;
        if (!introspection.Active
            || introspection.TokenType != "access_token"
            || introspection.ClientId != salesforceOptions.ClientId
            || introspection.ExpiresAt is not { } expiresAt
            || !IdentityUrl.TryParse(introspection.Subject, out var organizationId, out var userId))
        {
            return TokenValidation.Inactive;
        }

        if (salesforceOptions.AllowedOrgs.Count > 0 && !salesforceOptions.AllowedOrgs.Contains(SalesforceOptions.OrgId15(organizationId)))
        {
            return TokenValidation.Inactive;
        }

        var validation = new TokenValidation(
            Active: true,
            Subject: introspection.Subject,
            UserId: userId,
            OrganizationId: organizationId,
            Username: introspection.Username,
            Scope: introspection.Scope,
            ClientId: introspection.ClientId,
            ExpiresAt: expiresAt);
        return StillValid(validation) ? validation : TokenValidation.Inactive;
    }

    private bool StillValid(TokenValidation validation) =>
        !validation.Active || validation.ExpiresAt > time.GetUtcNow().ToUnixTimeSeconds();
}
