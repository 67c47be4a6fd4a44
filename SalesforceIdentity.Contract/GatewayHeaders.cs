namespace SalesforceIdentity.Contract;

/// <summary>
/// What the ResourceService in gateway mode tells the API behind it (issue 17): the caller's Salesforce identity,
/// in request headers that only the gateway writes. Every header of the caller starting with
/// <see cref="Prefix"/> is dropped before forwarding, so an upstream can trust them when only the gateway reaches it.
/// </summary>
public static class GatewayHeaders
{
    /// <summary>Reserved for the gateway: any request header of the caller with this prefix, in any case, is removed.</summary>
    public const string Prefix = "X-Salesforce-";

    /// <summary>The caller's Salesforce user ID (<c>005...</c>).</summary>
    public const string UserId = "X-Salesforce-User-Id";

    /// <summary>The caller's Salesforce org ID (<c>00D...</c>).</summary>
    public const string OrgId = "X-Salesforce-Org-Id";

    /// <summary>The caller's Salesforce username; left out when it is not printable ASCII.</summary>
    public const string Username = "X-Salesforce-Username";

    /// <summary>The scopes granted to the caller's token, space-separated (RFC 6749 §3.3); empty when none.</summary>
    public const string Scopes = "X-Salesforce-Scopes";

    /// <summary>
    /// YARP route metadata: <c>"true"</c> forwards the caller's <c>Authorization</c> header (and the demo's
    /// <c>bearer</c>/<c>instanceurl</c>) to the upstream; by default they are not forwarded.
    /// </summary>
    public const string ForwardAuthorizationMetadata = "ForwardAuthorization";
}
