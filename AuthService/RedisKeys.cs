using System.Security.Cryptography;
using System.Text;

namespace AuthService;

/// <summary>
/// Every Redis key the AuthService writes: a versioned prefix, a kind, and the SHA-256 of the secret
/// it is about, so that no token, code or state ever appears in Redis in the clear.
/// </summary>
public static class RedisKeys
{
    private const string Version = "v1";

    /// <summary>A validation's key, as the contract derives it (the APIs hear revocations by it).</summary>
    public static string Token(string token) => TokenHash.CacheKeyFor(token);

    public static string State(string state) => $"{Version}:state:{Sha256Hex(state)}";

    /// <summary>The one-time handle the callback answers, standing for Salesforce's code and its PKCE verifier.</summary>
    public static string CodeHandle(string handle) => $"{Version}:handle:{Sha256Hex(handle)}";

    /// <summary>The lock and the shared result of one refresh token's refresh.</summary>
    public static string Refresh(string refreshToken) => $"{Version}:refresh:{Sha256Hex(refreshToken)}";

    /// <summary>The validation-cache keys of the access tokens issued from one refresh token.</summary>
    public static string Family(string refreshToken) => $"{Version}:family:{Sha256Hex(refreshToken)}";

    /// <summary>An access token this AuthService obtained through the password grant (see <c>PasswordSessions</c>).</summary>
    public static string PasswordSession(string accessToken) => $"{Version}:pwd:{Sha256Hex(accessToken)}";

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
