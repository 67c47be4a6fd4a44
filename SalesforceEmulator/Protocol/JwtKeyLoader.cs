using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SalesforceEmulator.Protocol;

/// <summary>Reads an app's JWT certificate setting: PEM text of a certificate or public key, or a path to a file holding one.</summary>
public static class JwtKeyLoader
{
    /// <summary>The RSA public key, or null with <paramref name="error"/> set when the setting cannot be read.</summary>
    public static RSA? Load(string setting, out string? error)
    {
        ArgumentNullException.ThrowIfNull(setting);
        error = null;
        string pem;
        try
        {
            pem = setting.Contains("-----BEGIN", StringComparison.Ordinal) ? setting : File.ReadAllText(setting);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = "is neither PEM text nor a readable file";
            return null;
        }

        try
        {
            if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                using var certificate = X509Certificate2.CreateFromPem(pem);
                var key = certificate.GetRSAPublicKey();
                error = key is null ? "holds a certificate without an RSA key" : null;
                return key;
            }

            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            error = "holds no RSA certificate or public key in PEM form";
            return null;
        }
    }
}
