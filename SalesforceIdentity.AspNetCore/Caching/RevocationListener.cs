using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceIdentity.Contract;
using StackExchange.Redis;

namespace SalesforceIdentity.AspNetCore.Caching;

/// <summary>
/// Hears the AuthService's revocations on Redis pub/sub and drops those tokens from this instance's in-process
/// cache, so a revoked token is refused everywhere at once. Its own connection, opened only when a Redis is
/// configured: the API's other Redis use, if any, is left alone. Written on StackExchange.Redis's pub/sub rather
/// than a cache library's backplane because the publisher is another service with its own cache: a plain channel
/// keeps the contract explicit (<see cref="Revocations"/>).
/// </summary>
internal sealed partial class RevocationListener(
    IOptions<SalesforceTokenValidationOptions> options,
    LocalValidationCache cache,
    RevokedTokens revoked,
    ILogger<RevocationListener> logger)
    : IHostedService, IAsyncDisposable
{
    private ConnectionMultiplexer? _redis;
    private RevocationSubscription? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hearing revocations serves the cache of confirmed callers, and is what lets JWT-based tokens be checked in process.
        if (options.Value.Redis is not { } redis || !(options.Value.LocalCache.Enabled || options.Value.Jwt.JwtAccessTokens == JwtAccessTokenMode.Local))
        {
            LogNoRedis(logger);
            return;
        }

        _redis = await ConnectionMultiplexer.ConnectAsync(Configuration(redis));
        _subscription = new RevocationSubscription(_redis, OnRevoked, OnListening, OnDeaf);
        await _subscription.StartAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        cache.StopListening();
        if (_subscription is not null)
        {
            await _subscription.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Heroku's <c>REDIS_URL</c> or a StackExchange.Redis string; starts and keeps serving while Redis is down.</summary>
    private static ConfigurationOptions Configuration(string redis)
    {
        var isUrl = redis.Contains("://", StringComparison.Ordinal);
        var configuration = isUrl ? RedisUrl.Parse(redis) : ConfigurationOptions.Parse(redis);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 500;
        configuration.AsyncTimeout = 500;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        if (isUrl && configuration.Ssl)
        {
            configuration.CertificateValidation += RedisUrl.AcceptHerokuSelfSignedCertificate;
        }

        return configuration;
    }

    private void OnRevoked(TokenHash token)
    {
        // Remembered before the eviction, so that no request in between can judge the token afresh and pass it.
        revoked.Add(token, cache.ExpiresAt(token));
        cache.Evict(token);
    }

    private void OnListening()
    {
        cache.StartListening();
        LogListening(logger);
    }

    private void OnDeaf(string reason)
    {
        // Redis is down: the cache stays out of the way until the connection is restored.
        cache.StopListening();
        LogNotListening(logger, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hearing revocations: the in-process token cache is on")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocations cannot be heard ({Reason}): the in-process token cache and the in-process check of JWT-based tokens are off until Redis is back")]
    private static partial void LogNotListening(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No Redis configured (REDIS_URL), or LocalCache__Enabled=false and Salesforce__JwtAccessTokens=Off: every new request with a token asks the AuthService")]
    private static partial void LogNoRedis(ILogger logger);
}
