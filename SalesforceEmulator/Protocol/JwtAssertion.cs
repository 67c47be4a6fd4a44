using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SalesforceEmulator.Protocol;

/// <summary>A compact JWS as a client sends it (JWT-bearer <c>assertion</c> or <c>client_assertion</c>), read before it is trusted.</summary>
public sealed class JwtAssertion
{
    private readonly byte[] _signingInput;
    private readonly byte[] _signature;

    private JwtAssertion(string algorithm, JsonObject claims, byte[] signingInput, byte[] signature)
    {
        Algorithm = algorithm;
        Claims = claims;
        _signingInput = signingInput;
        _signature = signature;
    }

    public string Algorithm { get; }

    public JsonObject Claims { get; }

    public string? Issuer => StringClaim("iss");

    public string? Subject => StringClaim("sub");

    /// <summary><c>aud</c> as a string or as an array of strings.</summary>
    public IReadOnlyList<string> Audiences => Claims["aud"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var one) => [one],
        JsonArray array => [.. array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()],
        _ => [],
    };

    /// <summary><c>exp</c> in seconds since the epoch, when it is a number.</summary>
    public long? ExpiresAt => Claims["exp"] is JsonValue value && value.TryGetValue<long>(out var seconds) ? seconds
        : Claims["exp"] is JsonValue d && d.TryGetValue<double>(out var fractional) ? (long)fractional : null;

    /// <summary>Splits and decodes <paramref name="jwt"/>; null when it is not a three-part JWS with JSON header and claims.</summary>
    public static JwtAssertion? Parse(string? jwt)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 } || parts.Any(p => p.Length == 0))
        {
            return null;
        }

        try
        {
            var header = JsonNode.Parse(Base64UrlDecode(parts[0])) as JsonObject;
            var claims = JsonNode.Parse(Base64UrlDecode(parts[1])) as JsonObject;
            if (header?["alg"] is not JsonValue alg || !alg.TryGetValue<string>(out var algorithm) || claims is null)
            {
                return null;
            }

            return new JwtAssertion(algorithm, claims, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64UrlDecode(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the JWS is RS256 (the only algorithm Salesforce accepts) and signed by <paramref name="key"/>'s private half.</summary>
    public bool IsSignedBy(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Algorithm == "RS256" && key.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private string? StringClaim(string name) => Claims[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static byte[] Base64UrlDecode(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
