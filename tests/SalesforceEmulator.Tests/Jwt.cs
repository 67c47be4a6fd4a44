using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace SalesforceEmulator.Tests;

/// <summary>Builds RS256 assertions and the certificate an app is configured with, independently of the emulator's code.</summary>
public static class Jwt
{
    public const string BearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static string Sign(RSA key, object claims, string algorithm = "RS256")
    {
        var input = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = algorithm }))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        return $"{input}.{Encode(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    /// <summary>A self-signed certificate for <paramref name="key"/>, in PEM, as uploaded to a connected app.</summary>
    public static string CertificatePem(RSA key)
    {
        var request = new CertificateRequest("CN=emulator-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(EmulatorFactory.Start.AddDays(-1), EmulatorFactory.Start.AddYears(1));
        return certificate.ExportCertificatePem();
    }

    /// <summary>Claims of a JWT-bearer assertion for the default user, valid for three minutes on the fake clock.</summary>
    public static object BearerClaims(string audience = "http://localhost", string issuer = Salesforce.ClientId, string subject = Salesforce.Username, long? exp = null) =>
        new { iss = issuer, sub = subject, aud = audience, exp = exp ?? EmulatorFactory.Start.AddMinutes(3).ToUnixTimeSeconds() };

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
