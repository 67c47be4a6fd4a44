namespace ResourceService;

/// <summary>Names used by the ResourceService: its authentication scheme, headers, scopes and limits.</summary>
public static class ResourceDefaults
{
    /// <summary>The authentication scheme that validates Salesforce tokens through the AuthService.</summary>
    public const string AuthenticationScheme = "SalesforceToken";

    /// <summary>The realm named in <c>WWW-Authenticate</c> (RFC 6750 §3).</summary>
    public const string Realm = "ResourceService";

    /// <summary>The Node.js demo's headers: the token, and the instance URL it claims to belong to.</summary>
    public const string DemoTokenHeader = "bearer";

    public const string DemoInstanceUrlHeader = "instanceurl";

    /// <summary>The header the AuthService expects the internal API key in.</summary>
    public const string ApiKeyHeader = "X-Internal-Api-Key";

    /// <summary>The AuthService's name in Aspire service discovery.</summary>
    public const string AuthServiceName = "authservice";

    /// <summary>The Aspire connection name of the Redis that carries the AuthService's revocations.</summary>
    public const string RedisConnectionName = "cache";

    /// <summary>The AuthService announces each revoked token's cache key here (see AuthService's AuthDefaults).</summary>
    public const string RevocationChannel = "v1:revocations";

    /// <summary>Longest token accepted before any call is made: Salesforce opaque tokens are ~112 characters, JWT-based ones longer.</summary>
    public const int MaxTokenLength = 2048;

    /// <summary>Largest AuthService answer read: an introspection body is a few hundred bytes.</summary>
    public const int MaxIntrospectionResponseBytes = 64 * 1024;

    /// <summary>Seconds a caller is told to wait (<c>Retry-After</c>) when the AuthService cannot answer.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Salesforce's scope for REST API access, and the policy that requires it.</summary>
    public const string ApiScope = "api";

    public const string ApiScopePolicy = "api";

    /// <summary>Where a 403 carries the scopes the route needed, from the authorization result to the handler.</summary>
    public const string RequiredScopeItem = ".required_scope";
}
