namespace SalesforceIdentity.Contract;

/// <summary>
/// How the AuthService tells every API instance that a token was revoked: a Redis pub/sub message on
/// <see cref="Channel"/> whose text is the token's cache key (<see cref="TokenHash.ToCacheKey"/>).
/// </summary>
public static class Revocations
{
    /// <summary>The Redis channel revocations are announced on.</summary>
    public const string Channel = "v1:revocations";

    /// <summary>The message that announces the revocation of the token with this hash.</summary>
    public static string Message(TokenHash token) => token.ToCacheKey();

    /// <summary>Reads a revocation message; false for anything that is not a token's cache key.</summary>
    public static bool TryRead(string? message, out TokenHash token) => TokenHash.TryParseCacheKey(message, out token);
}
