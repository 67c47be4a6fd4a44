using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SalesforceEmulator.Protocol;

/// <summary>The RSA key that signs id_tokens, published at <c>/id/keys</c>. A new key each start, as nothing outlives the process.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public JsonWebKeySet Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKeySet(
        [
            new JsonWebKey("RSA", Base64Url(parameters.Modulus!), Base64Url(parameters.Exponent!), "RS256", "sig", EmulatorDefaults.SigningKeyId),
        ]);
    }

    /// <summary>Signs <paramref name="payload"/> as a compact RS256 JWT with Salesforce's header.</summary>
    public string Sign(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var header = new JsonObject { ["kid"] = EmulatorDefaults.SigningKeyId, ["typ"] = "JWT", ["alg"] = "RS256" };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>True when <paramref name="jwt"/> is an RS256 JWS this key signed (an id_token the emulator issued).</summary>
    public bool HasSigned(JwtAssertion jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        return jwt.IsSignedBy(_rsa);
    }

    public void Dispose() => _rsa.Dispose();

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
