using StackExchange.Redis;

namespace SalesforceIdentity.Contract;

/// <summary>
/// Hears <see cref="Revocations.Channel"/> on a Redis connection, and says when hearing starts and when it may have
/// stopped. Every listener (each AuthService instance, each API's in-process cache) uses this one subscription, so a
/// dropped connection means the same on either side: what was cached can no longer be trusted, since a revocation
/// may pass unheard.
/// </summary>
/// <param name="redis">The connection; its failures and restorations drive <paramref name="listening"/> and <paramref name="deaf"/>.</param>
/// <param name="revoked">Called with each revoked token's hash (messages that are not a token's cache key are ignored).</param>
/// <param name="listening">Called once the subscription stands: every revocation from now on is heard.</param>
/// <param name="deaf">Called with the reason when revocations may be missed (at a failed start, on a connection failure), once per outage.</param>
public sealed class RevocationSubscription(IConnectionMultiplexer redis, Action<TokenHash> revoked, Action listening, Action<string> deaf)
    : IDisposable
{
    private const int Unknown = 0, Listening = 1, Deaf = 2;

    /// <summary>How soon a failed subscription is tried again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly RedisChannel _channel = RedisChannel.Literal(Revocations.Channel);
    private readonly CancellationTokenSource _stopping = new();
    private int _stopped;
    private int _subscribed;
    private int _state = Unknown;

    /// <summary>Subscribes (or, with Redis down, waits for the connection to come back); never throws for Redis.</summary>
    public async Task StartAsync()
    {
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        await TrySubscribeAsync();
    }

    /// <summary>Unsubscribes (the caller stops trusting what it cached itself); never fails the host that stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may dispose its services before (or while) it stops them, as when a stop outlasts its time: the
        // retries are ended once, by whichever comes first.
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _stopping.CancelAsync();
        }

        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        try
        {
            if (Interlocked.Exchange(ref _subscribed, 0) == 1)
            {
                await redis.GetSubscriber().UnsubscribeAsync(_channel).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // The connection goes away with the host anyway.
        }
    }

    private async Task TrySubscribeAsync()
    {
        try
        {
            if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
            {
                await redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message)).WaitAsync(TimeSpan.FromSeconds(5));
            }

            if (Interlocked.Exchange(ref _state, Listening) != Listening)
            {
                listening();
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Interlocked.Exchange(ref _subscribed, 0);
            BecomeDeaf(ex.GetType().Name);
            // Besides ConnectionRestored, try again on a timer: a subscription that failed while the connection stood
            // (a timeout under load) would otherwise wait for a failure that never comes.
            _ = RetryLaterAsync();
        }
    }

    private async Task RetryLaterAsync()
    {
        try
        {
            await Task.Delay(RetryInterval, _stopping.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        if (Volatile.Read(ref _subscribed) == 0)
        {
            await TrySubscribeAsync();
        }
    }

    private void OnMessage(RedisValue message)
    {
        if (Revocations.TryRead(message.ToString(), out var token))
        {
            revoked(token);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => BecomeDeaf(e.FailureType.ToString());

    // Said once per outage, not at every retry.
    private void BecomeDeaf(string reason)
    {
        if (Interlocked.Exchange(ref _state, Deaf) != Deaf)
        {
            deaf(reason);
        }
    }

    /// <summary>Ends the retries, whether or not <see cref="StopAsync"/> ran; stopping afterwards still unsubscribes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _stopping.Cancel();
        }

        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        _stopping.Dispose();
    }

    // StackExchange.Redis resubscribes by itself on reconnect; a subscription that never succeeded is made here.
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = TrySubscribeAsync();
}
