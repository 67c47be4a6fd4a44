using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Apis;
using AuthService.Salesforce;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace AuthService.Flow;

/// <summary>
/// Makes concurrent refreshes of one refresh token, on any number of instances, cost one Salesforce
/// call whose answer they all get. With refresh-token rotation a second call with the old token would
/// look like reuse to Salesforce and revoke the whole family, so the losers never call: they wait for
/// the winner's answer, which is kept (encrypted) in Redis for a few seconds only, long enough for the
/// waiters to pick it up. A later call with the same token is a replay, not a concurrent refresh: it goes
/// to Salesforce, whose reuse detection then sees it. A revoke forgets the answer at once. A network fault
/// stores nothing, so a retry after it starts afresh with the same, still valid, refresh token.
/// </summary>
public sealed partial class RefreshCoordinator(
    RedisCalls redis,
    SalesforceClient salesforce,
    IDataProtectionProvider dataProtection,
    AuthMetrics metrics,
    TimeProvider time,
    ILogger<RefreshCoordinator> logger)
{
    // Without the lock two instances could both refresh, and under rotation Salesforce would take the second for
    // reuse and revoke the family: every call fails closed (503, retry later) rather than risk the session.
    private const string Use = "refresh lock";

    /// <summary>Longer than a Salesforce call may take (3 s), so a live winner never loses its lock.</summary>
    private static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a refresh's answer is shared: waiters poll every 50 ms, so seconds cover them on a busy machine (and
    /// any clock difference between instances, which read the winner's deadline with their own clock).
    /// </summary>
    public static readonly TimeSpan ShareWindow = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan WaitForWinner = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("AuthService.RefreshResult.v1");
    // Callers who joined a refresh that faulted do not try again: Salesforce may have rotated the token before the
    // fault, and a second call with the old one would look like reuse. Their client retries, which meets the lock.
    private readonly SingleFlight<TokenResponse> _inFlight = new(joinersRetryOnce: false);

    public async Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = RedisKeys.Refresh(refreshToken);
        // Same-instance callers share one task; other instances meet at the Redis lock.
        return await _inFlight.RunAsync(key, () => RefreshOnceAsync(refreshToken, key), cancellationToken);
    }

    private async Task<TokenResponse> RefreshOnceAsync(string refreshToken, string key)
    {
        var lockKey = $"{key}:lock";
        var resultKey = $"{key}:result";
        var owner = Guid.NewGuid().ToString("N");
        var giveUpAt = time.GetUtcNow() + WaitForWinner;

        while (true)
        {
            if (await ReadResultAsync(resultKey) is { } shared)
            {
                return shared;
            }

            if (await redis.OrFailAsync(Use, db => db.LockTakeAsync(lockKey, owner, LockLifetime)))
            {
                try
                {
                    // The previous holder may have finished between our read and our lock.
                    if (await ReadResultAsync(resultKey) is { } justFinished)
                    {
                        return justFinished;
                    }

                    TokenResponse response;
                    try
                    {
                        response = await salesforce.RefreshAsync(refreshToken, CancellationToken.None);
                    }
                    catch (UpstreamUnavailableException)
                    {
                        metrics.Refreshed("error");
                        throw;
                    }

                    metrics.Refreshed(response.Error is null ? "refreshed" : "refused");
                    await StoreResultAsync(resultKey, lockKey, owner, response);
                    return response;
                }
                finally
                {
                    await redis.OrFailAsync(Use, db => db.LockReleaseAsync(lockKey, owner));
                }
            }

            if (time.GetUtcNow() > giveUpAt)
            {
                throw new UpstreamUnavailableException("Salesforce", "a concurrent refresh of this token did not finish in time");
            }

            await Task.Delay(PollInterval, time);
        }
    }

    /// <summary>
    /// Forgets the shared answer and the lock of <paramref name="token"/>'s refresh: after a revoke, a refresh with it
    /// goes to Salesforce (which refuses it), and a refresh in flight can no longer share what it gets.
    /// </summary>
    public Task ForgetAsync(string token)
    {
        var key = RedisKeys.Refresh(token);
        return redis.OrFailAsync(Use, db => db.KeyDeleteAsync([$"{key}:result", $"{key}:lock"]));
    }

    private async Task<TokenResponse?> ReadResultAsync(string resultKey)
    {
        var stored = await redis.OrFailAsync(Use, db => db.StringGetAsync(resultKey));
        if (!stored.HasValue)
        {
            return null;
        }

        try
        {
            var result = JsonSerializer.Deserialize(_protector.Unprotect((byte[])stored!), AuthJsonContext.Default.SharedRefreshResult);
            // Redis's TTL ends it too; this clock is the one the service (and a test) controls.
            return result is null || time.GetUtcNow() >= result.SharedUntil ? null
                : result.Error is { } error ? TokenResponse.Failed(error)
                : result.Token is { } token ? TokenResponse.Succeeded(token)
                : null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException)
        {
            LogUnreadableResult(logger);
            return null;
        }
    }

    // The answer holds tokens: it is stored encrypted, so Redis never sees one in the clear. It is stored only while this
    // call still holds the lock, so a revoke (which deletes the lock) during the call leaves nothing to share.
    private Task<bool> StoreResultAsync(string resultKey, string lockKey, string owner, TokenResponse response)
    {
        var shared = new SharedRefreshResult(response.Token, response.Error, time.GetUtcNow() + ShareWindow);
        var payload = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(shared, AuthJsonContext.Default.SharedRefreshResult));
        return redis.OrFailAsync(Use, db =>
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.StringEqual(lockKey, owner));
            _ = transaction.StringSetAsync(resultKey, payload, ShareWindow);
            return transaction.ExecuteAsync();
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A shared refresh result could not be read; refreshing again")]
    private static partial void LogUnreadableResult(ILogger logger);
}

/// <summary>A refresh's answer as shared between instances (encrypted at rest), until <see cref="SharedUntil"/>.</summary>
public sealed record SharedRefreshResult(JsonObject? Token, OAuthError? Error, DateTimeOffset SharedUntil);
