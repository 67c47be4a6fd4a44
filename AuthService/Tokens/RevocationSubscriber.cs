using StackExchange.Redis;

namespace AuthService.Tokens;

/// <summary>
/// Hears the revocations every AuthService instance announces (<see cref="RevocationSubscription"/>, the same one the
/// APIs' caches use) and keeps them in <see cref="RevocationMemory"/>. While the subscription is down, the memory
/// trusts no cached validation, since a revocation may pass unheard.
/// </summary>
internal sealed partial class RevocationSubscriber(IConnectionMultiplexer redis, RevocationMemory memory, ILogger<RevocationSubscriber> logger)
    : IHostedService, IDisposable
{
    private RevocationSubscription? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = new RevocationSubscription(redis, memory.Revoked, OnListening, OnDeaf);
        return _subscription.StartAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        memory.StopListening();
        return _subscription?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();

    private void OnListening()
    {
        memory.StartListening();
        LogListening(logger);
    }

    private void OnDeaf(string reason)
    {
        memory.StopListening();
        LogNotListening(logger, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hearing revocations: cached validations written from now on are trusted")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocations cannot be heard ({Reason}): no cached validation is trusted until Redis is back")]
    private static partial void LogNotListening(ILogger logger, string reason);
}
