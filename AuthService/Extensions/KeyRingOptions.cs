using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace AuthService;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest in Redis (<c>DataProtection__Certificate</c>,
/// a base64 PKCS#12 file with its RSA private key, and <c>DataProtection__CertificatePassword</c> when it has one).
/// Required when deployed; without it (local runs) the keys are stored as the framework writes them, unencrypted.
/// <c>DataProtection__PreviousCertificate</c> (and <c>...PreviousCertificatePassword</c>) rotates it: keys the previous
/// certificate encrypted still open, new ones are written with the current certificate.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    public string? Certificate { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>The certificate replaced by <see cref="Certificate"/>, kept to decrypt the keys it encrypted.</summary>
    public string? PreviousCertificate { get; set; }

    public string? PreviousCertificatePassword { get; set; }

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
        if (certificate is null)
        {
            return ValidateOptionsResult.Fail("DataProtection__Certificate must be a base64 PKCS#12 (PFX) certificate with its RSA private key; check it and DataProtection__CertificatePassword.");
        }

        if (string.IsNullOrWhiteSpace(options.PreviousCertificate))
        {
            return ValidateOptionsResult.Success;
        }

        using var previous = KeyRingOptions.TryLoad(options.PreviousCertificate, options.PreviousCertificatePassword);
        return previous is null
            ? ValidateOptionsResult.Fail("DataProtection__PreviousCertificate must be a base64 PKCS#12 (PFX) certificate with its RSA private key; check it and DataProtection__PreviousCertificatePassword.")
            : ValidateOptionsResult.Success;
    }
}
