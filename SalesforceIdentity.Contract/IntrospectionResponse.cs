using System.Text.Json.Serialization;

namespace SalesforceIdentity.Contract;

/// <summary>
/// The AuthService's RFC 7662 answer. An inactive token gets <c>{"active":false}</c> and nothing else; an active
/// one carries who the caller is. <c>active</c> is required, so an answer without it is a fault, never a verdict.
/// </summary>
/// <param name="Active">Whether the token is valid here (RFC 7662 §2.2).</param>
/// <param name="Subject">Salesforce's identity URL of the user.</param>
/// <param name="UserId">The Salesforce user ID.</param>
/// <param name="OrganizationId">The Salesforce org ID.</param>
/// <param name="Username">The Salesforce username.</param>
/// <param name="InstanceUrl">The instance the token belongs to.</param>
/// <param name="Scope">The granted scopes, space-separated (RFC 6749 §3.3).</param>
/// <param name="ClientId">The connected app the token was issued to.</param>
/// <param name="TokenType">Always <c>access_token</c> for an active answer.</param>
/// <param name="ExpiresAt">When the token expires, in Unix seconds.</param>
public sealed record IntrospectionResponse(
    [property: JsonPropertyName("active"), JsonRequired] bool Active,
    [property: JsonPropertyName("sub")] string? Subject = null,
    [property: JsonPropertyName("user_id")] string? UserId = null,
    [property: JsonPropertyName("organization_id")] string? OrganizationId = null,
    [property: JsonPropertyName("username")] string? Username = null,
    [property: JsonPropertyName("instance_url")] string? InstanceUrl = null,
    [property: JsonPropertyName("scope")] string? Scope = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("token_type")] string? TokenType = null,
    [property: JsonPropertyName("exp")] long? ExpiresAt = null)
{
    /// <summary>The <c>token_type</c> of every token an API may accept.</summary>
    public const string AccessTokenType = "access_token";

    /// <summary>The answer for any token that is not valid here.</summary>
    public static readonly IntrospectionResponse Inactive = new(false);
}
