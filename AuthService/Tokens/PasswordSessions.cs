using System.Text;

namespace AuthService.Tokens;

/// <summary>
/// The access tokens this AuthService obtained itself through the username-password grant. Salesforce issues
/// that flow's tokens as Session IDs that introspection calls inactive (help article
/// <c>xcloud.remoteaccess_oauth_username_password_flow_ca</c>: "can't be introspected"), so the only proof that
/// such a token is ours is that we asked for it with our client id. Kept in Redis under the token's hash
/// (never the token), sealed, with the org and user it was issued for, for no longer than a session can live
/// (24 h, renewed while the token is in use, as Salesforce extends a session that is used).
/// </summary>
public sealed partial class PasswordSessions(RedisCalls redis, CacheSeal seal, ILogger<PasswordSessions> logger)
{
    /// <summary>Salesforce's longest session timeout.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// Remembers that <paramref name="accessToken"/> was issued to us for the user of <paramref name="identityUrl"/>.
    /// False when it could not be recorded: the token would then be refused here, so the login should not succeed.
    /// </summary>
    public async Task<bool> RecordAsync(string accessToken, string? identityUrl)
    {
        if (!IdentityUrl.TryParse(identityUrl, out var organizationId, out var userId))
        {
            throw new UpstreamUnavailableException("Salesforce", "a password-grant answer without an identity URL");
        }

        var key = RedisKeys.PasswordSession(accessToken);
        var value = seal.Seal(key, Encoding.UTF8.GetBytes($"{organizationId} {userId} {identityUrl}"));
        if (!await redis.OrDefaultAsync("password session record", db => db.StringSetAsync(key, value, Lifetime)))
        {
            LogNotRecorded(logger);
            return false;
        }

        return true;
    }

    /// <summary>What we recorded for <paramref name="token"/>: ours, not ours, or unknown when Redis cannot say.</summary>
    public async Task<PasswordSession> FindAsync(string token)
    {
        var key = RedisKeys.PasswordSession(token);
        var (answered, stored) = await redis.AskAsync("password session read", db => db.StringGetAsync(key));
        return !answered ? PasswordSession.Unknown : stored.HasValue ? Open(key, stored!) : PasswordSession.None;
    }

    /// <summary>The token is in use and live: keep the record as long as Salesforce keeps the session.</summary>
    public Task RenewAsync(string token) =>
        redis.OrDefaultAsync("password session renewal", db => db.KeyExpireAsync(RedisKeys.PasswordSession(token), Lifetime));

    public Task ForgetAsync(string token) =>
        redis.OrDefaultAsync("password session removal", db => db.KeyDeleteAsync(RedisKeys.PasswordSession(token)));

    private PasswordSession Open(string key, byte[] stored)
    {
        if (!seal.TryOpen(key, stored, out var payload))
        {
            return PasswordSession.None;
        }

        var parts = Encoding.UTF8.GetString(payload).Split(' ', 3);
        return parts.Length == 3 ? PasswordSession.Found(parts[0], parts[1], parts[2]) : PasswordSession.None;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A password-grant token could not be recorded; the login is answered 503")]
    private static partial void LogNotRecorded(ILogger logger);
}

/// <summary>What <see cref="PasswordSessions"/> knows of a token.</summary>
public sealed record PasswordSession(bool Known, string? OrganizationId = null, string? UserId = null, string? IdentityUrl = null)
{
    /// <summary>Not one of ours.</summary>
    public static readonly PasswordSession None = new(true);

    /// <summary>Redis could not be asked: whether it is ours cannot be told.</summary>
    public static readonly PasswordSession Unknown = new(false);

    public bool IsOurs => OrganizationId is not null;

    public static PasswordSession Found(string organizationId, string userId, string identityUrl) => new(true, organizationId, userId, identityUrl);
}
