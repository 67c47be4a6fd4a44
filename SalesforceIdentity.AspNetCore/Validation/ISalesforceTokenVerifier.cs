namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// A way to judge a token without the AuthService (for example a local check of a JWT-based access token).
/// Registered verifiers are asked in order, on a cache miss, before the AuthService; the first verdict wins,
/// and it is cached like the AuthService's (but judged again by the verifiers when its entry ends, never refreshed
/// through the AuthService). Register with <c>TryAddEnumerable</c>.
/// </summary>
public interface ISalesforceTokenVerifier
{
    /// <summary>A verdict about <paramref name="token"/>, or null when this verifier cannot judge it.</summary>
    ValueTask<TokenVerdict?> VerifyAsync(string token, CancellationToken cancellationToken);
}
