using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AuthService.Tokens;

namespace AuthService.Apis;

/// <summary>The callback's answer, kept from the Node.js demo.</summary>
public sealed record CodeResponse([property: JsonPropertyName("code")] string Code);

/// <summary>The contract's RFC 7662 answer (<see cref="IntrospectionResponse"/>), built from this service's verdict.</summary>
internal static class IntrospectionResponses
{
    extension(IntrospectionResponse)
    {
        /// <summary>An inactive token gets <c>{"active":false}</c> and nothing else.</summary>
        public static IntrospectionResponse From(TokenValidation validation) => validation.Active
            ? new(true, validation.Subject, validation.UserId, validation.OrganizationId, validation.Username,
                validation.InstanceUrl, validation.Scope, validation.ClientId, IntrospectionResponse.AccessTokenType, validation.ExpiresAt)
            : IntrospectionResponse.Inactive;
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(CodeResponse))]
[JsonSerializable(typeof(IntrospectionResponse))]
[JsonSerializable(typeof(ValidationSettings))]
[JsonSerializable(typeof(TokenValidation))]
[JsonSerializable(typeof(CachedValidation))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(AuthService.Flow.SharedRefreshResult))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
