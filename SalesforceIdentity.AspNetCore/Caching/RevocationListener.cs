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
    ILogger<RevocationListener> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly RedisChannel _channel = RedisChannel.Literal(Revocations.Channel);
    private ConnectionMultiplexer? _redis;
    private int _subscribed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Redis is not { } redis || !options.Value.LocalCache.Enabled)
        {
            LogNoRedis(logger);
            return;
        }

        _redis = await ConnectionMultiplexer.ConnectAsync(Configuration(redis));
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        await TrySubscribeAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        cache.StopListening();
        if (_redis is null)
        {
            return;
        }

        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        try
        {
            if (Interlocked.Exchange(ref _subscribed, 0) == 1)
            {
                await _redis.GetSubscriber().UnsubscribeAsync(_channel).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // Stopping never fails the host: the connection goes away with it anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
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

    private async Task TrySubscribeAsync()
    {
        try
        {
            if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
            {
                await _redis!.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnRevocation(message)).WaitAsync(TimeSpan.FromSeconds(5));
            }

            cache.StartListening();
            LogListening(logger);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Interlocked.Exchange(ref _subscribed, 0);
            // Redis is down at start: the cache stays out of the way until the connection is restored.
            LogNotListening(logger, ex.GetType().Name);
        }
    }

    private void OnRevocation(RedisValue message)
    {
        if (Revocations.TryRead(message.ToString(), out var token))
        {
            cache.Evict(token);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        cache.StopListening();
        LogNotListening(logger, e.FailureType.ToString());
    }

    // StackExchange.Redis resubscribes by itself on reconnect; a subscription that never succeeded is made here.
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = TrySubscribeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Hearing revocations: the in-process token cache is on")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocations cannot be heard ({Reason}): the in-process token cache is off until Redis is back")]
    private static partial void LogNotListening(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No Redis configured (REDIS_URL), or LocalCache__Enabled=false: every new request with a token asks the AuthService")]
    private static partial void LogNoRedis(ILogger logger);
}
