namespace AuthService;

/// <summary>Names shared by the AuthService's routes, headers, cookies and Redis keys.</summary>
public static class AuthDefaults
{
    /// <summary>The header the ResourceService presents its internal API key in (the contract's).</summary>
    public const string ApiKeyHeader = InternalApi.ApiKeyHeader;

    /// <summary>The Aspire connection name of the Redis that holds shared state.</summary>
    public const string RedisConnectionName = "cache";

    /// <summary>Application name shared by every instance so that they read one Data Protection key ring.</summary>
    public const string DataProtectionApplicationName = "SalesforceIdentity.AuthService";

    public const string DataProtectionKeysRedisKey = "v1:dataprotection:keys";

    /// <summary>
    /// The Redis channel on which revocations are announced, one message per validation-cache key
    /// (<c>v1:tok:&lt;sha256&gt;</c>), so every ResourceService instance drops its in-process copy at once (the contract's).
    /// </summary>
    public const string RevocationChannel = Revocations.Channel;

    /// <summary>
    /// The state cookie. <c>__Host-</c> requires <c>Secure</c>, which a browser sends only over https,
    /// so plain-http local runs use the unprefixed name.
    /// </summary>
    public const string SecureStateCookie = "__Host-sfauth-state";

    public const string LocalStateCookie = "sfauth-state";

    /// <summary>How long a started login may take before its state and verifier are forgotten.</summary>
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Salesforce codes live about 15 minutes; the one-time handle standing for one need not outlive it.</summary>
    public static readonly TimeSpan CodeHandleLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Longest token accepted (the contract's: both sides refuse the same tokens before any call).</summary>
    public const int MaxTokenLength = TokenRules.MaxLength;
}
