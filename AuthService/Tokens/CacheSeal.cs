using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AuthService.Tokens;

/// <summary>
/// Authenticates what the AuthService stores in Redis about tokens: an HMAC-SHA256 (key derived from the
/// internal API key by HKDF) over the Redis key and the payload, so that a value written by anyone without
/// the key, or moved to another token's key, does not open.
/// </summary>
/// <remarks>
/// The tag is truncated to 128 bits (RFC 2104 §5 allows truncation to half the hash; 128 bits is far past
/// guessing), which keeps a cached validation small enough that a 25 MB Redis holds tens of thousands.
/// </remarks>
public sealed class CacheSeal(IOptions<InternalApiOptions> apiOptions)
{
    public const int TagLength = 16;

    private readonly byte[] _key = HKDF.DeriveKey(
        HashAlgorithmName.SHA256,
        Encoding.UTF8.GetBytes(apiOptions.Value.ApiKey),
        outputLength: 32,
        salt: [],
        info: Encoding.UTF8.GetBytes("v1:tok cache entries"));

    /// <summary>The tag followed by <paramref name="payload"/>.</summary>
    public byte[] Seal(string redisKey, ReadOnlySpan<byte> payload)
    {
        var sealedValue = new byte[TagLength + payload.Length];
        payload.CopyTo(sealedValue.AsSpan(TagLength));
        Tag(redisKey, payload, sealedValue.AsSpan(0, TagLength));
        return sealedValue;
    }

    /// <summary>The payload of a sealed value, or false when the tag does not match this key and payload.</summary>
    public bool TryOpen(string redisKey, ReadOnlySpan<byte> sealedValue, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (sealedValue.Length <= TagLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagLength];
        Tag(redisKey, sealedValue[TagLength..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, sealedValue[..TagLength]))
        {
            return false;
        }

        payload = sealedValue[TagLength..];
        return true;
    }

    private void Tag(string redisKey, ReadOnlySpan<byte> payload, Span<byte> tag)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.UTF8.GetBytes(redisKey + "\n"));
        hmac.AppendData(payload);
        Span<byte> full = stackalloc byte[32];
        hmac.GetHashAndReset(full);
        full[..TagLength].CopyTo(tag);
    }
}
