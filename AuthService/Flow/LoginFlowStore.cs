using StackExchange.Redis;

namespace AuthService.Flow;

/// <summary>
/// The web-server flow's short-lived state in Redis, so that any instance can finish a login another
/// began: <c>state</c> → PKCE verifier until the callback, then code → verifier until the exchange.
/// Each value is read and deleted in one command, so a state or code works once.
/// </summary>
public sealed class LoginFlowStore(IConnectionMultiplexer redis)
{
    private const string Upstream = "The login state store (Redis)";

    public Task SaveStateAsync(string state, string codeVerifier) =>
        RunAsync(db => db.StringSetAsync(RedisKeys.State(state), codeVerifier, AuthDefaults.StateLifetime));

    /// <summary>The verifier stored with <paramref name="state"/>, or null if it is unknown, expired or used.</summary>
    public async Task<string?> TakeStateAsync(string state) =>
        await RunAsync(db => db.StringGetDeleteAsync(RedisKeys.State(state)));

    public Task BindCodeAsync(string code, string codeVerifier) =>
        RunAsync(db => db.StringSetAsync(RedisKeys.CodeVerifier(code), codeVerifier, AuthDefaults.CodeVerifierLifetime));

    public async Task<string?> TakeCodeVerifierAsync(string code) =>
        await RunAsync(db => db.StringGetDeleteAsync(RedisKeys.CodeVerifier(code)));

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(redis.GetDatabase()).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Without Redis a login cannot be bound to its browser safely: refuse rather than degrade.
            throw new UpstreamUnavailableException(Upstream, ex.GetType().Name, ex);
        }
    }
}
