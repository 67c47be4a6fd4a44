using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthService.Tokens;

/// <summary>
/// Validations in Redis under <c>v1:tok:&lt;sha256&gt;</c>, sealed by <see cref="CacheSeal"/> so that an entry
/// written by anyone without the key, or moved to another token's key, reads as a miss, and trusted only as
/// far as <see cref="RevocationMemory"/> allows: an active entry whose key was heard revoked reads as inactive,
/// and one written before this instance could hear every revocation is asked of Salesforce again. Redis being
/// down or slow is a miss too, never an error.
/// </summary>
/// <remarks>
/// Written by hand rather than with HybridCache: HybridCache keeps its own key and payload format (no
/// authenticated values, no per-entry TTL computed from the token's expiry after the fact, no tombstones).
/// </remarks>
public sealed partial class TokenCache(
    RedisCalls redis,
    CacheSeal seal,
    RevocationMemory revocations,
    IOptions<TokenCacheOptions> options,
    IOptions<SalesforceOptions> salesforceOptions,
    TimeProvider time,
    ILogger<TokenCache> logger)
{
    private TokenCacheOptions Options => options.Value;

    /// <summary>
    /// The cached validation, or a miss. A miss may carry the stored value it could not use (forged, too old
    /// to trust, past a lowered ceiling), which <see cref="SetAsync"/> may then replace.
    /// </summary>
    public async Task<CacheLookup> GetAsync(string key)
    {
        var stored = await redis.OrDefaultAsync("token cache read", db => db.StringGetAsync(key));
        if (stored is not { HasValue: true })
        {
            return CacheLookup.Miss;
        }

        byte[] bytes = stored!;
        if (!seal.TryOpen(key, bytes, out var payload))
        {
            LogForgedEntry(logger);
            return new CacheLookup(null, stored);
        }

        var salesforce = salesforceOptions.Value;
        var entry = CacheEntryFormat.Read(payload, salesforce.LoginUrl, salesforce.ClientId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (entry is null || now >= entry.CachedUntil)
        {
            return new CacheLookup(null, stored);
        }

        if (!entry.Validation.Active)
        {
            // Tombstones and other inactive answers only ever refuse: always honoured.
            return new CacheLookup(entry.Validation, stored);
        }

        if (revocations.IsRevoked(key))
        {
            return new CacheLookup(TokenValidation.Inactive, stored);
        }

        // Written before this instance could hear every revocation (a replay of a captured entry looks like
        // this too), or stored under a longer ceiling than today's: an operator who lowers TokenCache:MaxTtl,
        // or sets it to zero, means it at once. Either way Salesforce is asked again and the entry replaced.
        var ceiling = (long)Options.MaxTtl.TotalMilliseconds;
        return !revocations.Trusts(entry.CachedAt) || now >= entry.CachedAt + ceiling
            ? new CacheLookup(null, stored)
            : new CacheLookup(entry.Validation, stored);
    }

    /// <summary>
    /// Caches for min(ceiling, expiry − skew) when active, briefly when inactive; not at all when already
    /// expired. Never over another entry, except the exact one <paramref name="replacing"/> names (a lookup
    /// found it unusable), and then only if it is still there: a revocation's tombstone must win over a
    /// validation that was already on its way when the token was revoked.
    /// </summary>
    public async Task SetAsync(string key, TokenValidation validation, RedisValue replacing = default)
    {
        var ttl = TimeToLive(validation);
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var value = Seal(key, validation, ttl);
        if (replacing.IsNull)
        {
            await redis.OrDefaultAsync("token cache write", db => db.StringSetAsync(key, value, ttl, When.NotExists));
            return;
        }

        await redis.OrDefaultAsync("token cache replacement", db =>
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.StringEqual(key, replacing));
            _ = transaction.StringSetAsync(key, value, ttl);
            return transaction.ExecuteAsync();
        });
    }

    /// <summary>
    /// Marks a revoked token's key inactive for the longest time a validation may be cached (a tombstone,
    /// not a delete, so no in-flight validation can put it back), remembers it in this instance, and announces
    /// the key on <see cref="AuthDefaults.RevocationChannel"/> to the other AuthService instances and to the
    /// in-process caches of the ResourceService.
    /// </summary>
    public async Task RevokeAsync(string key)
    {
        revocations.Revoked(key);
        var ttl = Options.MaxTtl > Options.InactiveTtl ? Options.MaxTtl : Options.InactiveTtl;
        var value = Seal(key, TokenValidation.Inactive, ttl);
        await redis.OrDefaultAsync("revocation tombstone", db => db.StringSetAsync(key, value, ttl));
        await redis.OrDefaultAsync("revocation announcement", db => db.PublishAsync(RedisChannel.Literal(AuthDefaults.RevocationChannel), key));
    }

    private byte[] Seal(string key, TokenValidation validation, TimeSpan ttl)
    {
        var now = time.GetUtcNow();
        var entry = new CachedValidation(validation, (now + ttl).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
        return seal.Seal(key, CacheEntryFormat.Write(entry, salesforceOptions.Value.LoginUrl));
    }

    public TimeSpan TimeToLive(TokenValidation validation)
    {
        if (!validation.Active)
        {
            return Options.InactiveTtl;
        }

        if (validation.ExpiresAt is not { } expiresAt)
        {
            return TimeSpan.Zero;
        }

        var untilExpiry = DateTimeOffset.FromUnixTimeSeconds(expiresAt) - time.GetUtcNow() - Options.ClockSkew;
        return untilExpiry < Options.MaxTtl ? untilExpiry : Options.MaxTtl;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token cache entry failed its HMAC check; treated as a miss")]
    private static partial void LogForgedEntry(ILogger logger);
}

/// <summary>A cache lookup: the validation it found (null on a miss), and the stored value it read, if any.</summary>
public readonly record struct CacheLookup(TokenValidation? Validation, RedisValue Stored)
{
    public static readonly CacheLookup Miss = new(null, RedisValue.Null);
}

/// <summary>
/// A cached validation, the moment (Unix milliseconds) it stops being trusted, and the moment it was stored.
/// </summary>
public sealed record CachedValidation(TokenValidation Validation, long CachedUntil, long CachedAt);
