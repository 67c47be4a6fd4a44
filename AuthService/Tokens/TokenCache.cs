using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Apis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthService.Tokens;

/// <summary>
/// Validations in Redis under <c>v1:tok:&lt;sha256&gt;</c>. Each value carries an HMAC (key derived from the
/// internal API key) over the Redis key and the JSON, so an entry written by anyone without the key, or
/// moved to another token's key, reads as a miss. Redis being down or slow is a miss too, never an error.
/// </summary>
/// <remarks>
/// Written by hand rather than with HybridCache: HybridCache keeps its own key and payload format (no
/// HMAC-authenticated values, no per-entry TTL computed from the token's expiry after the fact).
/// </remarks>
public sealed partial class TokenCache(
    IConnectionMultiplexer redis,
    IOptions<TokenCacheOptions> options,
    IOptions<InternalApiOptions> apiOptions,
    TimeProvider time,
    ILogger<TokenCache> logger)
{
    private const int MacLength = 32;

    private readonly byte[] _macKey = HKDF.DeriveKey(
        HashAlgorithmName.SHA256,
        Encoding.UTF8.GetBytes(apiOptions.Value.ApiKey),
        outputLength: 32,
        salt: [],
        info: Encoding.UTF8.GetBytes("v1:tok cache entries"));

    private TokenCacheOptions Options => options.Value;

    public async Task<TokenValidation?> GetAsync(string key)
    {
        var value = await RunBoundedAsync(db => db.StringGetAsync(key), "read");
        if (value is not { HasValue: true } stored)
        {
            return null;
        }

        byte[] bytes = stored!;
        if (bytes.Length <= MacLength || !CryptographicOperations.FixedTimeEquals(bytes.AsSpan(0, MacLength), Mac(key, bytes.AsSpan(MacLength))))
        {
            LogForgedEntry(logger);
            return null;
        }

        try
        {
            // The entry carries its own deadline, so the cache's life follows this service's clock, with
            // Redis's TTL as the backstop that frees the memory.
            var entry = JsonSerializer.Deserialize(bytes.AsSpan(MacLength), AuthJsonContext.Default.CachedValidation);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (entry is null || now >= entry.CachedUntil)
            {
                return null;
            }

            // An active answer stored under a longer ceiling is trusted no longer than today's allows: an
            // operator who lowers TokenCache:MaxTtl, or sets it to zero, means it at once, not minutes later.
            // (Tombstones and other inactive answers keep their own life: they only ever refuse.) Such an entry
            // is not replaced, since writes never overwrite; those tokens are asked of Salesforce until it expires.
            var ceiling = (long)Options.MaxTtl.TotalMilliseconds;
            return entry.Validation.Active && entry.CachedAt > 0 && now >= entry.CachedAt + ceiling ? null : entry.Validation;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Caches for min(ceiling, expiry − skew) when active, briefly when inactive; not at all when already
    /// expired. Never over an existing entry: a revocation's tombstone must win over a validation that
    /// was already on its way when the token was revoked.
    /// </summary>
    public async Task SetAsync(string key, TokenValidation validation)
    {
        var ttl = TimeToLive(validation);
        if (ttl > TimeSpan.Zero)
        {
            var value = Seal(key, validation, ttl);
            await RunBoundedAsync(db => db.StringSetAsync(key, value, ttl, When.NotExists), "write");
        }
    }

    /// <summary>
    /// Marks a revoked token's key inactive for the longest time a validation may be cached (a tombstone,
    /// not a delete, so no in-flight validation can put it back), and announces the key on
    /// <see cref="AuthDefaults.RevocationChannel"/> for the in-process caches of the ResourceService.
    /// </summary>
    public async Task RevokeAsync(string key)
    {
        var ttl = Options.MaxTtl > Options.InactiveTtl ? Options.MaxTtl : Options.InactiveTtl;
        var value = Seal(key, TokenValidation.Inactive, ttl);
        await RunBoundedAsync(db => db.StringSetAsync(key, value, ttl), "revoke");
        await RunBoundedAsync(db => db.PublishAsync(RedisChannel.Literal(AuthDefaults.RevocationChannel), key), "announce");
    }

    private byte[] Seal(string key, TokenValidation validation, TimeSpan ttl)
    {
        var now = time.GetUtcNow();
        var entry = new CachedValidation(validation, (now + ttl).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, AuthJsonContext.Default.CachedValidation);
        var value = new byte[MacLength + json.Length];
        Mac(key, json).CopyTo(value, 0);
        json.CopyTo(value, MacLength);
        return value;
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

    private byte[] Mac(string key, ReadOnlySpan<byte> json)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key + "\n");
        var message = new byte[keyBytes.Length + json.Length];
        keyBytes.CopyTo(message, 0);
        json.CopyTo(message.AsSpan(keyBytes.Length));
        return HMACSHA256.HashData(_macKey, message);
    }

    private async Task<T?> RunBoundedAsync<T>(Func<IDatabase, Task<T>> command, string operation)
    {
        try
        {
            return await command(redis.GetDatabase()).WaitAsync(Options.RedisTimeout);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, operation, ex.GetType().Name);
            return default;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token cache entry failed its HMAC check; treated as a miss")]
    private static partial void LogForgedEntry(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token cache {Operation} skipped: Redis unavailable ({ExceptionType})")]
    private static partial void LogRedisUnavailable(ILogger logger, string operation, string exceptionType);
}

/// <summary>
/// A cached validation, the moment (Unix milliseconds) it stops being trusted, and the moment it was stored
/// (0 in entries written before that field existed).
/// </summary>
public sealed record CachedValidation(TokenValidation Validation, long CachedUntil, long CachedAt = 0);
