using StackExchange.Redis;

namespace AuthService;

/// <summary>
/// Redis from Aspire (<c>ConnectionStrings__{name}</c>) or from Heroku (<c>REDIS_URL</c>, read as the contract's
/// <see cref="RedisUrl"/>), with the timeouts this service wants: start, and keep serving, while Redis is down.
/// </summary>
internal static class RedisConnection
{
    /// <summary>
    /// Adds the Aspire Redis client for <paramref name="connectionName"/> when a connection is configured.
    /// Returns whether it was; with <paramref name="required"/>, a missing connection stops the service at start.
    /// </summary>
    public static bool AddRedisFromEnvironment(this IHostApplicationBuilder builder, string connectionName, bool required)
    {
        var redisUrl = builder.Configuration[RedisUrl.Setting];
        var connectionKey = $"ConnectionStrings:{connectionName}";
        if (!string.IsNullOrWhiteSpace(redisUrl) && string.IsNullOrWhiteSpace(builder.Configuration[connectionKey]))
        {
            builder.Configuration[connectionKey] = RedisUrl.Parse(redisUrl).ToString(includePassword: true);
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[connectionKey]))
        {
            return required
                ? throw new InvalidOperationException($"REDIS_URL (or ConnectionStrings__{connectionName}) must be set.")
                : false;
        }

        builder.AddRedisClient(connectionName, configureOptions: options =>
        {
            // Start, and keep serving, while Redis is down; never queue commands for later.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 500;
            options.AsyncTimeout = 500;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            if (options.Ssl && !string.IsNullOrWhiteSpace(redisUrl))
            {
                options.CertificateValidation += RedisUrl.AcceptHerokuSelfSignedCertificate;
            }
        });
        return true;
    }
}
