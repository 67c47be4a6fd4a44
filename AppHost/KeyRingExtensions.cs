using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AppHost;

internal static class KeyRingExtensions
{
    /// <summary>
    /// Gives the AuthService the certificate that encrypts its Data Protection keys in Redis
    /// (<c>DataProtection__Certificate</c>, required in production). Publish mode asks for it as a secret parameter;
    /// a local run gets a throwaway one made now, which is enough because its Redis lives only as long as the run.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeyRingCertificate(this IResourceBuilder<ProjectResource> authService)
    {
        var builder = authService.ApplicationBuilder;
        return builder.ExecutionContext.IsPublishMode
            ? authService.WithEnvironment("DataProtection__Certificate", builder.AddParameter("dataprotection-certificate", secret: true))
            : authService.WithEnvironment("DataProtection__Certificate", NewThrowawayCertificate());
    }

    /// <summary>A self-signed RSA certificate with its private key, as base64 PKCS#12 without a password.</summary>
    private static string NewThrowawayCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=AuthService key ring (local run)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12));
    }
}
