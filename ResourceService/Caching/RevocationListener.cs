using StackExchange.Redis;

namespace ResourceService.Caching;

/// <summary>
/// Hears the AuthService's revocations on Redis pub/sub and drops those tokens from the in-process cache
/// of this instance, so a revoked token is refused everywhere at once. Written on StackExchange.Redis's
/// pub/sub rather than a cache library's backplane because the publisher is another service, with its own
/// cache: a plain channel keeps the contract between the two explicit (channel name, message = cache key).
/// </summary>
internal sealed partial class RevocationListener(IConnectionMultiplexer redis, LocalValidationCache cache, ILogger<RevocationListener> logger)
    : IHostedService
{
    private readonly RedisChannel _channel = RedisChannel.Literal(ResourceDefaults.RevocationChannel);
    private int _subscribed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        await TrySubscribeAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        cache.StopListening();
        if (Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            await redis.GetSubscriber().UnsubscribeAsync(_channel).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task TrySubscribeAsync()
    {
        try
        {
            if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
            {
                await redis.GetSubscriber().SubscribeAsync(_channel, (_, key) => cache.Evict(key.ToString())).WaitAsync(TimeSpan.FromSeconds(5));
            }

            cache.StartListening();
            LogListening(logger);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _subscribed, 0);
            // Redis is down at start: the cache stays out of the way until the connection is restored.
            LogNotListening(logger, ex.GetType().Name);
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
}
