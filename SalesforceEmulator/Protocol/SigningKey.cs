using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace SalesforceEmulator.Protocol;

/// <summary>The RSA key that signs id_tokens, published at <c>/id/keys</c>. A new key each start, as nothing outlives the process.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public JsonWebKey Jwk() => Jws.PublicJwk(_rsa, EmulatorDefaults.SigningKeyId);

    /// <summary>Signs <paramref name="payload"/> as a compact RS256 JWT with Salesforce's id_token header.</summary>
    public string Sign(JsonObject payload) =>
        Jws.SignRs256(new JsonObject { ["kid"] = EmulatorDefaults.SigningKeyId, ["typ"] = "JWT", ["alg"] = "RS256" }, payload, _rsa);

    /// <summary>True when <paramref name="jwt"/> is an RS256 JWS this key signed (an id_token the emulator issued).</summary>
    public bool HasSigned(JwtAssertion jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        return jwt.IsSignedBy(_rsa);
    }

    public void Dispose() => _rsa.Dispose();

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Jws.Base64Url(bytes);
}
