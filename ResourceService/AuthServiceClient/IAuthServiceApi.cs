using System.Text.Json.Serialization;
using Refit;

namespace ResourceService.AuthServiceClient;

/// <summary>The AuthService as the ResourceService sees it: one call, token introspection.</summary>
public interface IAuthServiceApi
{
    [Post("/oauth2/introspect")]
    Task<IApiResponse<IntrospectionResult>> IntrospectAsync(
        [Body(BodySerializationMethod.UrlEncoded)] IntrospectionRequest request,
        CancellationToken cancellationToken);
}

public sealed class IntrospectionRequest
{
    [AliasAs("token")]
    public required string Token { get; init; }
}

/// <summary>RFC 7662 answer of the AuthService.</summary>
public sealed record IntrospectionResult(
    [property: JsonPropertyName("active")] bool? Active,
    [property: JsonPropertyName("sub")] string? Subject,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("organization_id")] string? OrganizationId,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("instance_url")] string? InstanceUrl,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("exp")] long? ExpiresAt);

[JsonSerializable(typeof(IntrospectionResult))]
[JsonSerializable(typeof(IntrospectionRequest))]
internal sealed partial class AuthServiceJsonContext : JsonSerializerContext;
