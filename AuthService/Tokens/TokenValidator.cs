using AuthService.RateLimiting;
using AuthService.Salesforce;
using Microsoft.Extensions.Options;

namespace AuthService.Tokens;

/// <summary>
/// Decides whether a token opens this product's APIs: live at the configured Salesforce host, an access
/// token, issued to our connected app, from an allowed org, not expired. Two kinds of token qualify:
/// <list type="bullet">
/// <item>tokens introspection calls active for our client id (web-server flow, refresh);</item>
/// <item>password-grant tokens this AuthService obtained itself (<see cref="PasswordSessions"/>), which
/// Salesforce never lets anyone introspect; their liveness, user and org come from UserInfo.</item>
/// </list>
/// A token introspection calls inactive and that we did not obtain stays refused: UserInfo answers for any
/// live session of the org, including those of other connected apps. Answers come from the Redis cache when
/// they can; concurrent misses for one token on this instance share one Salesforce call.
/// </summary>
public sealed class TokenValidator(
    SalesforceClient salesforce,
    TokenCache cache,
    PasswordSessions passwordSessions,
    SalesforceCallBudget budget,
    IOptions<SalesforceOptions> options,
    AuthMetrics metrics,
    TimeProvider time)
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
        if ((await cache.GetAsync(key)).Validation is { } cached && StillValid(cached))
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
    public async Task RevokeAsync(string token, IEnumerable<string> relatedKeys)
    {
        await Task.WhenAll(relatedKeys.Append(RedisKeys.Token(token)).Distinct().Select(cache.RevokeAsync));
        await passwordSessions.ForgetAsync(token);
    }

    private async Task<TokenValidation> FetchAndCacheAsync(string token, string key)
    {
        // A caller that missed just before the previous shared call stored its answer finds it here.
        var lookup = await cache.GetAsync(key);
        if (lookup.Validation is { } cached && StillValid(cached))
        {
            return cached;
        }

        // A limit in front of Salesforce, not in front of answers from the cache (issue: 10,000 tokens).
        budget.Spend();
        var session = await passwordSessions.FindAsync(token);
        var validation = session.IsOurs ? await CheckPasswordSessionAsync(token, session) : await IntrospectAsync(token);
        if (!validation.Active && !session.Known)
        {
            // Introspection cannot answer for a password-grant token, and Redis cannot say whether this is one
            // of ours: refusing would log a valid user out, accepting could let in another app's token.
            throw new UpstreamUnavailableException("Redis", "could not tell whether the token was obtained here");
        }

        await cache.SetAsync(key, validation, replacing: lookup.Stored);
        return validation;
    }

    private async Task<TokenValidation> IntrospectAsync(string token)
    {
        var validation = Evaluate(await salesforce.IntrospectAsync(token, CancellationToken.None));
        if (!validation.Active)
        {
            return validation;
        }

        // Introspection does not give the instance URL; UserInfo does (null if the token lacks the id scope).
        var userInfo = await salesforce.GetUserInfoAsync(token, CancellationToken.None);
        // Both answers are about one session: a UserInfo naming another user or org means something is wrong upstream.
        if (userInfo is not null
            && ((userInfo.UserId is not null && !SameId(userInfo.UserId, validation.UserId))
                || (userInfo.OrganizationId is not null && !SameId(userInfo.OrganizationId, validation.OrganizationId))))
        {
            return TokenValidation.Inactive;
        }

        return validation with { InstanceUrl = userInfo?.InstanceUrl?.ToString().TrimEnd('/') };
    }

    private async Task<TokenValidation> CheckPasswordSessionAsync(string token, PasswordSession session)
    {
        if (!OrgAllowed(session.OrganizationId!))
        {
            return TokenValidation.Inactive;
        }

        var userInfo = await salesforce.GetUserInfoAsync(token, CancellationToken.None);
        if (userInfo is not { Active: true }
            || !SameId(userInfo.UserId, session.UserId)
            || !SameId(userInfo.OrganizationId, session.OrganizationId))
        {
            return TokenValidation.Inactive;
        }

        await passwordSessions.RenewAsync(token);
        return new TokenValidation(
            Active: true,
            Subject: session.IdentityUrl,
            UserId: userInfo.UserId,
            OrganizationId: userInfo.OrganizationId,
            Username: userInfo.Username,
            InstanceUrl: userInfo.InstanceUrl?.ToString().TrimEnd('/'),
            // The password flow "doesn't support scopes" (salesforce-protocol.md §3): a Session ID carries none.
            Scope: null,
            ClientId: options.Value.ClientId,
            // Salesforce tells no expiry for a Session ID; it can live no longer than the record of it.
            ExpiresAt: (time.GetUtcNow() + PasswordSessions.Lifetime).ToUnixTimeSeconds());
    }

    private TokenValidation Evaluate(Introspection introspection)
    {
        var salesforceOptions = options.Value;
        if (!introspection.Active
            || introspection.TokenType != "access_token"
            || introspection.ClientId != salesforceOptions.ClientId
            || introspection.ExpiresAt is not { } expiresAt
            || !IdentityUrl.TryParse(introspection.Subject, out var organizationId, out var userId)
            || !OrgAllowed(organizationId))
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

    private bool OrgAllowed(string organizationId)
    {
        var allowed = options.Value.AllowedOrgs;
        return allowed.Count == 0 || allowed.Contains(SalesforceOptions.OrgId15(organizationId));
    }

    /// <summary>Salesforce IDs compare on their 15-character, case-sensitive form (the 18-character one adds a checksum).</summary>
    private static bool SameId(string? a, string? b) =>
        a is { Length: >= 15 } && b is { Length: >= 15 } && a.AsSpan(0, 15).SequenceEqual(b.AsSpan(0, 15));

    private bool StillValid(TokenValidation validation) =>
        !validation.Active || validation.ExpiresAt > time.GetUtcNow().ToUnixTimeSeconds();
}
