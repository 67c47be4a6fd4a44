using StackExchange.Redis;

namespace AuthService.Tokens;

/// <summary>
/// Hears revocations announced on <see cref="AuthDefaults.RevocationChannel"/> by every AuthService instance
/// and keeps them in <see cref="RevocationMemory"/>. While the subscription is down, the memory trusts no
/// cached validation, since a revocation may pass unheard.
/// </summary>
internal sealed partial class RevocationSubscriber(IConnectionMultiplexer redis, RevocationMemory memory, ILogger<RevocationSubscriber> logger)
    : IHostedService
{
    private readonly RedisChannel _channel = RedisChannel.Literal(AuthDefaults.RevocationChannel);
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
        memory.StopListening();
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
                await redis.GetSubscriber().SubscribeAsync(_channel, (_, key) => memory.Revoked(key.ToString())).WaitAsync(TimeSpan.FromSeconds(5));
            }

            memory.StartListening();
            LogListening(logger);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _subscribed, 0);
            LogNotListening(logger, ex.GetType().Name);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        memory.StopListening();
        LogNotListening(logger, e.FailureType.ToString());
    }

    // StackExchange.Redis resubscribes by itself on reconnect; a subscription that never succeeded is made here.
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = TrySubscribeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Hearing revocations: cached validations written from now on are trusted")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocations cannot be heard ({Reason}): no cached validation is trusted until Redis is back")]
    private static partial void LogNotListening(ILogger logger, string reason);
}
