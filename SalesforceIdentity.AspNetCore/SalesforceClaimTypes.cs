namespace SalesforceIdentity.AspNetCore;

/// <summary>Claim types of a caller whose Salesforce token was confirmed.</summary>
public static class SalesforceClaimTypes
{
    /// <summary>The Salesforce user ID (also given as <c>ClaimTypes.NameIdentifier</c>).</summary>
    public const string UserId = "salesforce:user_id";

    /// <summary>The Salesforce org ID.</summary>
    public const string OrganizationId = "salesforce:organization_id";

    /// <summary>The Salesforce username; the identity's name.</summary>
    public const string Username = "salesforce:username";

    /// <summary>The Salesforce instance the token belongs to.</summary>
    public const string InstanceUrl = "salesforce:instance_url";

    /// <summary>One claim per granted scope value (RFC 6749 §3.3).</summary>
    public const string Scope = "scope";
}
