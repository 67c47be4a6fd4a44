using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Redis from Aspire (<c>ConnectionStrings__{name}</c>) or from Heroku (<c>REDIS_URL</c>, <c>redis://</c> or
/// <c>rediss://</c>, a form StackExchange.Redis does not parse), with the timeouts every service wants.
/// </summary>
public static class RedisUrl
{
    /// <summary>
    /// Adds the Aspire Redis client for <paramref name="connectionName"/> when a connection is configured.
    /// Returns whether it was; with <paramref name="required"/>, a missing connection stops the service at start.
    /// </summary>
    public static bool AddRedisFromEnvironment(this IHostApplicationBuilder builder, string connectionName, bool required)
    {
        var redisUrl = builder.Configuration["REDIS_URL"];
        var connectionKey = $"ConnectionStrings:{connectionName}";
        if (!string.IsNullOrWhiteSpace(redisUrl) && string.IsNullOrWhiteSpace(builder.Configuration[connectionKey]))
        {
            builder.Configuration[connectionKey] = Parse(redisUrl).ToString(includePassword: true);
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
                options.CertificateValidation += AcceptHerokuSelfSignedCertificate;
            }
        });
        return true;
    }

    /// <summary>Converts <c>redis[s]://[user]:password@host:port</c> to StackExchange.Redis options.</summary>
    public static ConfigurationOptions Parse(string redisUrl)
    {
        if (!Uri.TryCreate(redisUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss"))
        {
            throw new InvalidOperationException("REDIS_URL must be a redis:// or rediss:// URL.");
        }

        var options = new ConfigurationOptions
        {
            EndPoints = { { uri.Host, uri.IsDefaultPort ? 6379 : uri.Port } },
            Ssl = uri.Scheme == "rediss",
            SslHost = uri.Host,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo.Length == 2)
        {
            options.User = string.IsNullOrEmpty(userInfo[0]) ? null : Uri.UnescapeDataString(userInfo[0]);
            options.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return options;
    }

    // Heroku Redis serves TLS with a self-signed certificate whose name does not match the host, and
    // Heroku's own docs say to skip verification. Accept exactly those two errors and nothing else:
    // the link is encrypted but the server is not authenticated (an accepted deviation from ASVS 12.3.4).
    private static bool AcceptHerokuSelfSignedCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null
        && (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)) == 0;
}
