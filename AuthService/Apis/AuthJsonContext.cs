using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AuthService.Tokens;

namespace AuthService.Apis;

/// <summary>RFC 6749 §5.2 error body, the shape of every 4xx and 503 this service answers.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

/// <summary>The callback's answer, kept from the Node.js demo.</summary>
public sealed record CodeResponse([property: JsonPropertyName("code")] string Code);

/// <summary>RFC 7662 answer to the ResourceService. An inactive token gets <c>{"active":false}</c> and nothing else.</summary>
public sealed record IntrospectionResponse(
    [property: JsonPropertyName("active")] bool Active,
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
    public static IntrospectionResponse From(TokenValidation validation) => validation.Active
        ? new(true, validation.Subject, validation.UserId, validation.OrganizationId, validation.Username,
            validation.InstanceUrl, validation.Scope, validation.ClientId, "access_token", validation.ExpiresAt)
        : new(false);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(CodeResponse))]
[JsonSerializable(typeof(IntrospectionResponse))]
[JsonSerializable(typeof(TokenValidation))]
[JsonSerializable(typeof(CachedValidation))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(AuthService.Flow.SharedRefreshResult))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
