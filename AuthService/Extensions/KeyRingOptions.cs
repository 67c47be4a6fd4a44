using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthService;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest in Redis (<c>DataProtection__Certificate</c>,
/// a base64 PKCS#12 file with its RSA private key, and <c>DataProtection__CertificatePassword</c> when it has one).
/// Required when deployed; without it (local runs) the keys are stored as the framework writes them, unencrypted.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    public string? Certificate { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>True when deployed (see <see cref="Deployment"/>): the certificate is then required.</summary>
    public bool Deployed { get; set; }

    /// <summary>The certificate, or null when none is set or it cannot be read (the validator then says which).</summary>
    public static X509Certificate2? TryLoad(string? certificate, string? password)
    {
        if (string.IsNullOrWhiteSpace(certificate))
        {
            return null;
        }

        try
        {
            var loaded = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(certificate.Trim()), password);
            using var key = loaded.GetRSAPrivateKey();
            if (key is not null)
            {
                return loaded;
            }

            loaded.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }
}

internal sealed class KeyRingOptionsValidator : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Certificate))
        {
            return options.Deployed
                ? ValidateOptionsResult.Fail("DataProtection__Certificate must be set in production: a base64 PKCS#12 (PFX) certificate with its RSA private key, which encrypts the Data Protection keys in Redis (deploy/heroku.sh generates one).")
                : ValidateOptionsResult.Success;
        }

        using var certificate = KeyRingOptions.TryLoad(options.Certificate, options.CertificatePassword);
        return certificate is null
            ? ValidateOptionsResult.Fail("DataProtection__Certificate must be a base64 PKCS#12 (PFX) certificate with its RSA private key; check it and DataProtection__CertificatePassword.")
            : ValidateOptionsResult.Success;
    }
}

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
    }
}
