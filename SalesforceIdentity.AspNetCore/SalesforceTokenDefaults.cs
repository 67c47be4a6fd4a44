namespace SalesforceIdentity.AspNetCore;

/// <summary>Names and limits of the Salesforce token scheme.</summary>
public static class SalesforceTokenDefaults
{
    /// <summary>The default authentication scheme name.</summary>
    public const string AuthenticationScheme = "SalesforceToken";

    /// <summary>The Node.js demo's header that carries the token (besides <c>Authorization: Bearer</c>).</summary>
    public const string DemoTokenHeader = "bearer";

    /// <summary>The Node.js demo's header naming the instance the token claims to belong to; only ever compared.</summary>
    public const string DemoInstanceUrlHeader = "instanceurl";

    /// <summary>The AuthService's name in Aspire service discovery (<c>services__authservice__http__0</c>).</summary>
    public const string AuthServiceName = "authservice";

    /// <summary>The Aspire connection name of the Redis that carries revocations (<c>ConnectionStrings__cache</c>).</summary>
    public const string RedisConnectionName = "cache";

    /// <summary>The setting that names the AuthService's base URL outside Aspire.</summary>
    public const string AuthServiceUrlSetting = "AUTH_SERVICE_URL";

    /// <summary>The name of the HttpClient that calls the AuthService.</summary>
    public const string HttpClientName = "SalesforceIdentity.AuthService";

    /// <summary>Largest AuthService answer read: an introspection body is a few hundred bytes.</summary>
    public const int MaxIntrospectionResponseBytes = 64 * 1024;

    /// <summary>Seconds a caller is told to wait (<c>Retry-After</c>) when the AuthService cannot answer.</summary>
    public const int RetryAfterSeconds = 5;
}
