using StackExchange.Redis;

namespace AuthService.Tokens;

/// <summary>
/// Remembers which access tokens came from which refresh token (as validation-cache keys, never the
/// tokens), so that revoking a refresh token evicts the cached validations of its access tokens too:
/// Salesforce revokes them all, and the cache must not keep vouching for them.
/// </summary>
public sealed class TokenFamilies(RedisCalls redis)
{
    /// <summary>Access tokens live at most 24 h (Salesforce's longest session); the family need not outlive them.</summary>
    private static readonly TimeSpan FamilyLifetime = TimeSpan.FromHours(24);

    /// <summary>Records that <paramref name="accessToken"/> was issued from <paramref name="refreshToken"/>, and carries the family over on rotation.</summary>
    /// <remarks>Fails open: losing this only means a later revoke of the refresh token leaves cached validations to their TTL.</remarks>
    public Task RecordAsync(string refreshToken, string accessToken, string? rotatedFrom = null) =>
        redis.OrDefaultAsync("token family record", async db =>
        {
            RedisKey family = RedisKeys.Family(refreshToken);
            var batch = new List<Task>();
            if (rotatedFrom is not null)
            {
                batch.Add(db.SetCombineAndStoreAsync(SetOperation.Union, family, family, RedisKeys.Family(rotatedFrom)));
            }

            batch.Add(db.SetAddAsync(family, RedisKeys.Token(accessToken)));
            batch.Add(db.KeyExpireAsync(family, FamilyLifetime));
            await Task.WhenAll(batch);
            return true;
        });

    /// <summary>The validation-cache keys of the access tokens issued from <paramref name="refreshToken"/>, if it is one.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string refreshToken)
    {
        var members = await redis.OrDefaultAsync("token family read", db => db.SetMembersAsync(RedisKeys.Family(refreshToken)));
        return members is null ? [] : [.. members.Select(m => m.ToString())];
    }
}
