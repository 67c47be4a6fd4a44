using System.Collections.Concurrent;

namespace SalesforceIdentity.Contract;

/// <summary>
/// Tokens heard revoked on <see cref="Revocations.Channel"/>, by hash, each kept for as long as it could otherwise still
/// pass: until its expiry when known, and never longer than Salesforce's longest session. The AuthService keeps one so
/// that write access to Redis cannot undo a revocation; the library keeps one so that a revoked JWT-based token, whose
/// signature stays valid, is refused until it expires.
/// </summary>
public sealed class RevokedTokenSet(TimeProvider time)
{
    /// <summary>Salesforce's longest session timeout (24 h): no access token outlives it, so neither must its revocation.</summary>
    public static readonly TimeSpan LongestTokenLife = TimeSpan.FromHours(24);

    // Keyed by the 32-byte hash, not a string: a day of revocations stays small.
    private readonly ConcurrentDictionary<TokenHash, long> _untilTicks = new();

    /// <summary>True when nothing was heard revoked (or all of it was forgotten): callers can skip hashing a token.</summary>
    public bool IsEmpty => _untilTicks.IsEmpty;

    /// <summary>Revocations kept, some of them possibly past their end until the next <see cref="Prune"/>.</summary>
    public int Count => _untilTicks.Count;

    /// <summary>Remembers a revocation until <paramref name="expiresAt"/>, or for <see cref="LongestTokenLife"/> when that is unknown or later.</summary>
    public void Add(TokenHash token, DateTimeOffset? expiresAt = null)
    {
        var now = time.GetUtcNow();
        var until = expiresAt is { } known && known < now + LongestTokenLife ? known : now + LongestTokenLife;
        _untilTicks[token] = until.UtcTicks;
    }

    /// <summary>Whether <paramref name="token"/> was heard revoked and could still pass.</summary>
    public bool Contains(TokenHash token) =>
        _untilTicks.TryGetValue(token, out var until) && time.GetUtcNow().UtcTicks < until;

    /// <summary>Forgets the revocations whose tokens can no longer pass; returns how many are left.</summary>
    public int Prune()
    {
        var now = time.GetUtcNow().UtcTicks;
        foreach (var pair in _untilTicks)
        {
            if (now >= pair.Value)
            {
                _untilTicks.TryRemove(pair);
            }
        }

        return _untilTicks.Count;
    }
}
