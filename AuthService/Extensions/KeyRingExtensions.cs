using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthService;

internal static class KeyRingExtensions
{
    /// <summary>
    /// One key ring for every instance, in Redis under one application name, so a cookie from one instance (or from
    /// before a restart) opens on another; encrypted with the configured certificate by the framework's own
    /// <c>ProtectKeysWithCertificate</c>, which also registers it to decrypt them.
    /// </summary>
    public static void AddSharedKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyRingOptions>()
            .BindConfiguration(KeyRingOptions.SectionName)
            .PostConfigure<IHostEnvironment, IConfiguration>((options, environment, configuration) => options.Deployed = Deployment.IsDeployed(environment, configuration))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>();

        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(AuthDefaults.DataProtectionApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) => options.XmlRepository =
                new RedisXmlRepository(() => redis.GetDatabase(), AuthDefaults.DataProtectionKeysRedisKey));

        // Needed now, at registration; a value that cannot be read is left for the validator to name at start.
        var section = builder.Configuration.GetSection(KeyRingOptions.SectionName);
        if (KeyRingOptions.TryLoad(section[nameof(KeyRingOptions.Certificate)], section[nameof(KeyRingOptions.CertificatePassword)]) is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        // A rotation: the keys already in Redis were encrypted with the previous certificate. Without it they could not
        // be read, the framework would make a new key, and every login in progress (its state cookie) and every code
        // handle not yet redeemed would fail once.
        if (KeyRingOptions.TryLoad(section[nameof(KeyRingOptions.PreviousCertificate)], section[nameof(KeyRingOptions.PreviousCertificatePassword)]) is { } previous)
        {
            dataProtection.UnprotectKeysWithAnyCertificate(previous);
        }
    }
}
