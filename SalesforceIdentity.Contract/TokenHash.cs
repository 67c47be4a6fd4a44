using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SalesforceIdentity.Contract;

/// <summary>
/// The SHA-256 of a token: the only form in which a token is stored, announced or looked up. A fixed-size value,
/// so an in-process cache keys on it with no string per request; SHA-256 rather than a faster hash, because a
/// crafted collision would let one caller borrow another's identity. Its text form is the Redis cache key
/// <c>v1:tok:&lt;lowercase hex&gt;</c>.
/// </summary>
public readonly record struct TokenHash
{
    /// <summary>The prefix of every token cache key.</summary>
    public const string CacheKeyPrefix = "v1:tok:";

    private const int Size = SHA256.HashSizeInBytes;

    // One reusable hash per thread: the one-shot API sets up and tears down the platform's digest context each call.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private TokenHash(ReadOnlySpan<byte> hash)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(hash);
        _b = BinaryPrimitives.ReadUInt64BigEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(hash[24..]);
    }

    /// <summary>Hashes the token's UTF-8 bytes; a well-formed token (<see cref="TokenRules"/>) costs no allocation.</summary>
    public static TokenHash Of(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[Size];
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var byteCount = Encoding.UTF8.GetByteCount(token);
        if (byteCount <= 1024 * 16)
        {
            Span<byte> utf8 = stackalloc byte[byteCount];
            Encoding.UTF8.GetBytes(token, utf8);
            sha256.AppendData(utf8);
        }
        else
        {
            sha256.AppendData(Encoding.UTF8.GetBytes(token.ToArray()));
        }

        sha256.GetHashAndReset(hash);
        return new TokenHash(hash);
    }

    /// <summary>The Redis cache key of <paramref name="token"/>: <c>v1:tok:</c> + hex SHA-256.</summary>
    public static string CacheKeyFor(string token) => Of(token).ToCacheKey();

    /// <summary>Reads a cache key back; false for anything else.</summary>
    public static bool TryParseCacheKey(string? key, out TokenHash hash)
    {
        hash = default;
        if (key is null || key.Length != CacheKeyPrefix.Length + (2 * Size) || !key.StartsWith(CacheKeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        var hex = key.AsSpan(CacheKeyPrefix.Length);
        // Only the lowercase form is ever written; anything else is not a key of ours.
        if (hex.ContainsAnyInRange('A', 'F') || Convert.FromHexString(hex, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        hash = new TokenHash(bytes);
        return true;
    }

    /// <summary>The Redis cache key: <c>v1:tok:</c> + lowercase hex.</summary>
    public string ToCacheKey()
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _a);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], _d);
        return CacheKeyPrefix + Convert.ToHexStringLower(bytes);
    }

    /// <summary>The cache key, never the token.</summary>
    public override string ToString() => ToCacheKey();
}
