using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthService;

/// <summary>
/// The AuthService's one policy for Redis calls: one time limit for every command (<see cref="RedisCallOptions.CallTimeout"/>),
/// and each use says what a failure means. <see cref="OrDefaultAsync"/> fails open: what Redis only speeds up (the
/// validation cache, token families) goes on without it. <see cref="OrFailAsync"/> fails closed: what is unsafe without
/// Redis (a login's state, a refresh's lock) answers 503 instead.
/// </summary>
public sealed partial class RedisCalls(IConnectionMultiplexer redis, IOptions<RedisCallOptions> options, ILogger<RedisCalls> logger)
{
    /// <summary>The answer, and whether Redis gave one at all.</summary>
    public async Task<(bool Answered, T? Value)> AskAsync<T>(string use, Func<IDatabase, Task<T>> command)
    {
        try
        {
            return (true, await command(redis.GetDatabase()).WaitAsync(options.Value.CallTimeout));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSkipped(logger, use, ex.GetType().Name);
            return (false, default);
        }
    }

    /// <summary>Fail open: the answer, or <c>default</c> when Redis is down or slow.</summary>
    public async Task<T?> OrDefaultAsync<T>(string use, Func<IDatabase, Task<T>> command) => (await AskAsync(use, command)).Value;

    /// <summary>Fail closed: the answer, or <see cref="UpstreamUnavailableException"/> (503 with <c>Retry-After</c>).</summary>
    public async Task<T> OrFailAsync<T>(string use, Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(redis.GetDatabase()).WaitAsync(options.Value.CallTimeout);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new UpstreamUnavailableException($"Redis ({use})", ex.GetType().Name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Use} skipped: Redis unavailable ({ExceptionType})")]
    private static partial void LogSkipped(ILogger logger, string use, string exceptionType);
}
