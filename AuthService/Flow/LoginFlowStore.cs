using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace AuthService.Flow;

/// <summary>
/// The web-server flow's short-lived state in Redis, so that any instance can finish a login another
/// began: <c>state</c> → PKCE verifier until the callback, then a one-time handle → Salesforce's code and
/// that verifier until the exchange. Each value is read and deleted in one command, so a state or a
/// handle works once.
/// </summary>
public sealed partial class LoginFlowStore(RedisCalls redis, IDataProtectionProvider dataProtection, ILogger<LoginFlowStore> logger)
{
    // Without Redis a login cannot be bound to its browser safely: every call fails closed.
    private const string Use = "login state";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("AuthService.CodeHandle.v1");

    public Task SaveStateAsync(string state, string codeVerifier) =>
        redis.OrFailAsync(Use, db => db.StringSetAsync(RedisKeys.State(state), codeVerifier, AuthDefaults.StateLifetime));

    /// <summary>The verifier stored with <paramref name="state"/>, or null if it is unknown, expired or used.</summary>
    public async Task<string?> TakeStateAsync(string state) =>
        await redis.OrFailAsync(Use, db => db.StringGetDeleteAsync(RedisKeys.State(state)));

    /// <summary>
    /// Keeps Salesforce's <paramref name="code"/> and its <paramref name="codeVerifier"/> server-side and answers a fresh
    /// handle (256 random bits, base64url) that stands for both: the handle is all the browser ever sees.
    /// </summary>
    public async Task<string> IssueHandleAsync(string code, string codeVerifier)
    {
        var handle = Pkce.NewRandomValue();
        var key = RedisKeys.CodeHandle(handle);
        var json = JsonSerializer.SerializeToUtf8Bytes(new CodeGrant(code, codeVerifier), FlowJsonContext.Default.CodeGrant);
        // Encrypted, and bound to this key: Redis never holds the code in the clear, and an entry copied under another handle's key does not open.
        await redis.OrFailAsync(Use, db => db.StringSetAsync(key, _protector.CreateProtector(key).Protect(json), AuthDefaults.CodeHandleLifetime));
        return handle;
    }

    /// <summary>Salesforce's code and verifier behind <paramref name="handle"/>, or null if it is unknown, expired or used.</summary>
    public async Task<CodeGrant?> RedeemHandleAsync(string handle)
    {
        var key = RedisKeys.CodeHandle(handle);
        var stored = await redis.OrFailAsync(Use, db => db.StringGetDeleteAsync(key));
        if (!stored.HasValue)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(_protector.CreateProtector(key).Unprotect((byte[])stored!), FlowJsonContext.Default.CodeGrant);
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            LogUnreadableHandle(logger);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A stored code handle could not be decrypted; it is refused")]
    private static partial void LogUnreadableHandle(ILogger logger);
}

/// <summary>What a code handle stands for: Salesforce's authorization code and the PKCE verifier of its login.</summary>
public sealed record CodeGrant(
    [property: System.Text.Json.Serialization.JsonPropertyName("code")] string Code,
    [property: System.Text.Json.Serialization.JsonPropertyName("code_verifier")] string CodeVerifier);

[System.Text.Json.Serialization.JsonSerializable(typeof(CodeGrant))]
internal sealed partial class FlowJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
