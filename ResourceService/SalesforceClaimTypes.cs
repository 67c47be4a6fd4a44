namespace ResourceService;

/// <summary>Claim types of an authenticated caller.</summary>
public static class SalesforceClaimTypes
{
    public const string UserId = "salesforce:user_id";
    public const string OrganizationId = "salesforce:organization_id";
    public const string Username = "salesforce:username";
    public const string InstanceUrl = "salesforce:instance_url";

    /// <summary>One claim per granted scope value (RFC 6749 §3.3).</summary>
    public const string Scope = "scope";
}
