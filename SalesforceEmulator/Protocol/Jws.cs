using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SalesforceEmulator.Protocol;

/// <summary>
/// Compact RS256 JWS signing. Written out rather than through a token library because Salesforce's tokens carry header
/// fields of their own (<c>tty</c>, <c>tnk</c>, <c>ver</c>) in Salesforce's order; the signature itself is the framework's RSA.
/// </summary>
public static class Jws
{
    public static string SignRs256(JsonObject header, JsonObject payload, RSA key)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(key);
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>The public half of <paramref name="key"/> as a JWK, as <c>/id/keys</c> lists it.</summary>
    public static JsonWebKey PublicJwk(RSA key, string kid)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey("RSA", Base64Url(parameters.Modulus!), Base64Url(parameters.Exponent!), "RS256", "sig", kid);
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
