namespace AuthService.Tokens;

/// <summary>
/// What this instance knows of revocations, kept out of Redis so that write access to Redis cannot undo one.
/// It remembers every revoked validation-cache key it heard (its own revokes and the others', over pub/sub)
/// for as long as an access token can live, and the moment since which it has heard them all. A cached
/// validation written before that moment could predate a revocation this instance never heard, so it is not
/// trusted; one written after it is trusted unless its key was heard revoked. A validation captured from
/// Redis before a revoke and written back after it is therefore refused by every instance: by those that
/// heard the revoke, by its key; by those that started later, by its age.
/// </summary>
public sealed class RevocationMemory(TimeProvider time)
{
    /// <summary>No access token outlives Salesforce's longest session, so neither must its revocation.</summary>
    public static readonly TimeSpan RememberFor = RevokedTokenSet.LongestTokenLife;

    private const int PruneEvery = 1024;

    private readonly RevokedTokenSet _revoked = new(time);
    private long _trustFrom = long.MaxValue;
    private int _sincePrune;

    /// <summary>Unix ms since which every revocation has been heard; <see cref="long.MaxValue"/> while deaf.</summary>
    public long TrustFrom => Interlocked.Read(ref _trustFrom);

    public void Revoked(TokenHash key)
    {
        _revoked.Add(key);
        if (Interlocked.Increment(ref _sincePrune) % PruneEvery == 0)
        {
            _revoked.Prune();
        }
    }

    /// <summary>The same, by the token's cache key (<c>v1:tok:&lt;sha256&gt;</c>).</summary>
    public void Revoked(string cacheKey)
    {
        if (TokenHash.TryParseCacheKey(cacheKey, out var key))
        {
            Revoked(key);
        }
    }

    public bool IsRevoked(string cacheKey) => TokenHash.TryParseCacheKey(cacheKey, out var key) && IsRevoked(key);

    public bool IsRevoked(TokenHash key) => _revoked.Contains(key);

    /// <summary>True when a validation cached at <paramref name="cachedAt"/> (Unix ms) cannot predate an unheard revocation.</summary>
    public bool Trusts(long cachedAt) => cachedAt >= TrustFrom;

    /// <summary>Revocations are heard from now on.</summary>
    public void StartListening() => Interlocked.Exchange(ref _trustFrom, time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Revocations may be missed from now on: no cached validation is trusted until listening again.</summary>
    public void StopListening() => Interlocked.Exchange(ref _trustFrom, long.MaxValue);
}
