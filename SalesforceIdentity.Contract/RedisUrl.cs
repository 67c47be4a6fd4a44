using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using StackExchange.Redis;

namespace SalesforceIdentity.Contract;

/// <summary>
/// The Redis both sides share (revocations, the validation cache), as Heroku names it: <c>REDIS_URL</c>,
/// <c>redis://</c> or <c>rediss://</c>, a form StackExchange.Redis does not parse.
/// </summary>
public static class RedisUrl
{
    /// <summary>The setting Heroku's Redis add-on sets.</summary>
    public const string Setting = "REDIS_URL";

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

    /// <summary>
    /// Heroku Redis serves TLS with a self-signed certificate whose name does not match the host, and Heroku's own
    /// docs say to skip verification. This accepts exactly those two errors and nothing else: the link is encrypted
    /// but the server is not authenticated (an accepted deviation from ASVS 12.3.4).
    /// </summary>
    public static bool AcceptHerokuSelfSignedCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null
        && (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)) == 0;
}
