using StackExchange.Redis;

namespace AuthService.Tokens;

/// <summary>
/// Remembers which access tokens came from which refresh token (as validation-cache keys, never the
/// tokens), so that revoking a refresh token evicts the cached validations of its access tokens too:
/// Salesforce revokes them all, and the cache must not keep vouching for them.
/// </summary>
public sealed partial class TokenFamilies(IConnectionMultiplexer redis, ILogger<TokenFamilies> logger)
{
    /// <summary>Access tokens live at most 24 h (Salesforce's longest session); the family need not outlive them.</summary>
    private static readonly TimeSpan FamilyLifetime = TimeSpan.FromHours(24);

    private static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Records that <paramref name="accessToken"/> was issued from <paramref name="refreshToken"/>, and carries the family over on rotation.</summary>
    public async Task RecordAsync(string refreshToken, string accessToken, string? rotatedFrom = null)
    {
        var family = (RedisKey)RedisKeys.Family(refreshToken);
        try
        {
            var db = redis.GetDatabase();
            var batch = new List<Task>();
            if (rotatedFrom is not null)
            {
                batch.Add(db.SetCombineAndStoreAsync(SetOperation.Union, family, family, RedisKeys.Family(rotatedFrom)));
            }

            batch.Add(db.SetAddAsync(family, RedisKeys.Token(accessToken)));
            batch.Add(db.KeyExpireAsync(family, FamilyLifetime));
            await Task.WhenAll(batch).WaitAsync(RedisTimeout);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Losing this only means a later revoke of the refresh token leaves cached validations to their TTL.
            LogRedisUnavailable(logger, ex.GetType().Name);
        }
    }

    /// <summary>The validation-cache keys of the access tokens issued from <paramref name="refreshToken"/>, if it is one.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string refreshToken)
    {
        try
        {
            var members = await redis.GetDatabase().SetMembersAsync(RedisKeys.Family(refreshToken)).WaitAsync(RedisTimeout);
            return [.. members.Select(m => m.ToString())];
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, ex.GetType().Name);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token family bookkeeping skipped: Redis unavailable ({ExceptionType})")]
    private static partial void LogRedisUnavailable(ILogger logger, string exceptionType);
}
