namespace ResourceService;

/// <summary>Names used by the ResourceService: its authentication scheme, headers and claims.</summary>
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

    /// <summary>Longest token accepted before any call is made: Salesforce opaque tokens are ~112 characters.</summary>
    public const int MaxTokenLength = 4096;
}

/// <summary>Claim types of an authenticated caller.</summary>
public static class SalesforceClaimTypes
{
    public const string UserId = "salesforce:user_id";
    public const string OrganizationId = "salesforce:organization_id";
    public const string Username = "salesforce:username";
    public const string InstanceUrl = "salesforce:instance_url";
    public const string Scope = "scope";
}
