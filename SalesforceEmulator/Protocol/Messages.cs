using System.Text.Json.Serialization;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Protocol;

/// <summary>The token endpoint's success body, fields in Salesforce's order.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonPropertyName("signature"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Signature,
    [property: JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope,
    [property: JsonPropertyName("id_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdToken,
    [property: JsonPropertyName("instance_url")] string InstanceUrl,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("issued_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IssuedAt,
    [property: JsonPropertyName("sfdc_community_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SfdcCommunityUrl = null,
    [property: JsonPropertyName("sfdc_community_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SfdcCommunityId = null,
    [property: JsonPropertyName("token_format"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenFormat = null);

/// <summary>An OAuth error body.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

/// <summary>RFC 7662 introspection answer; only <c>active</c> for an inactive token.</summary>
public sealed record IntrospectionResponse(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope = null,
    [property: JsonPropertyName("client_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientId = null,
    [property: JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username = null,
    [property: JsonPropertyName("sub"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sub = null,
    [property: JsonPropertyName("token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType = null,
    [property: JsonPropertyName("exp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Exp = null,
    [property: JsonPropertyName("iat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Iat = null,
    [property: JsonPropertyName("nbf"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Nbf = null);

/// <summary>The <c>urls</c> map of the identity service and userinfo.</summary>
public sealed record IdentityUrls(
    [property: JsonPropertyName("enterprise")] string Enterprise,
    [property: JsonPropertyName("metadata")] string Metadata,
    [property: JsonPropertyName("partner")] string Partner,
    [property: JsonPropertyName("rest")] string Rest,
    [property: JsonPropertyName("sobjects")] string Sobjects,
    [property: JsonPropertyName("search")] string Search,
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("recent")] string Recent,
    [property: JsonPropertyName("tooling_soap")] string ToolingSoap,
    [property: JsonPropertyName("tooling_rest")] string ToolingRest,
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("feeds")] string Feeds,
    [property: JsonPropertyName("groups")] string Groups,
    [property: JsonPropertyName("users")] string Users,
    [property: JsonPropertyName("feed_items")] string FeedItems,
    [property: JsonPropertyName("feed_elements")] string FeedElements,
    [property: JsonPropertyName("custom_domain")] string CustomDomain);

public sealed record Photos(
    [property: JsonPropertyName("picture")] string Picture,
    [property: JsonPropertyName("thumbnail")] string Thumbnail);

public sealed record IdentityStatus(
    [property: JsonPropertyName("created_date")] string? CreatedDate,
    [property: JsonPropertyName("body")] string? Body);

/// <summary>An empty <c>address</c> object, as Salesforce sends for a user without one.</summary>
public sealed record Address;

/// <summary>The identity service's answer (help article xcloud.remoteaccess_using_openid; the Mobile SDK for Android's OAuth2 test fixture).</summary>
public sealed record IdentityResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("asserted_user")] bool AssertedUser,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("organization_id")] string OrganizationId,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("nick_name")] string NickName,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("email_verified")] bool EmailVerified,
    [property: JsonPropertyName("first_name")] string FirstName,
    [property: JsonPropertyName("last_name")] string LastName,
    [property: JsonPropertyName("timezone")] string Timezone,
    [property: JsonPropertyName("photos")] Photos Photos,
    [property: JsonPropertyName("addr_street")] string? AddrStreet,
    [property: JsonPropertyName("addr_city")] string? AddrCity,
    [property: JsonPropertyName("addr_state")] string? AddrState,
    [property: JsonPropertyName("addr_country")] string? AddrCountry,
    [property: JsonPropertyName("addr_zip")] string? AddrZip,
    [property: JsonPropertyName("mobile_phone")] string? MobilePhone,
    [property: JsonPropertyName("mobile_phone_verified")] bool MobilePhoneVerified,
    [property: JsonPropertyName("is_lightning_login_user")] bool IsLightningLoginUser,
    [property: JsonPropertyName("status")] IdentityStatus Status,
    [property: JsonPropertyName("urls")] IdentityUrls Urls,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("user_type")] string UserType,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("locale")] string Locale,
    [property: JsonPropertyName("utcOffset")] long UtcOffset,
    [property: JsonPropertyName("last_modified_date")] string LastModifiedDate,
    [property: JsonPropertyName("is_app_installed")] bool IsAppInstalled);

/// <summary>The OIDC userinfo answer (help article xcloud.remoteaccess_using_userinfo_endpoint).</summary>
public sealed record UserInfoResponse(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("organization_id")] string OrganizationId,
    [property: JsonPropertyName("preferred_username")] string PreferredUsername,
    [property: JsonPropertyName("nickname")] string Nickname,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("email_verified")] bool EmailVerified,
    [property: JsonPropertyName("given_name")] string GivenName,
    [property: JsonPropertyName("family_name")] string FamilyName,
    [property: JsonPropertyName("zoneinfo")] string Zoneinfo,
    [property: JsonPropertyName("photos")] Photos Photos,
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("picture")] string Picture,
    [property: JsonPropertyName("address")] Address Address,
    [property: JsonPropertyName("is_salesforce_integration_user")] bool IsSalesforceIntegrationUser,
    [property: JsonPropertyName("urls")] IdentityUrls Urls,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("user_type")] string UserType,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("locale")] string Locale,
    [property: JsonPropertyName("utcOffset")] long UtcOffset,
    [property: JsonPropertyName("updated_at")] string UpdatedAt,
    [property: JsonPropertyName("is_app_installed")] bool IsAppInstalled,
    [property: JsonPropertyName("phone_number")] string? PhoneNumber,
    [property: JsonPropertyName("phone_number_verified")] bool PhoneNumberVerified);

/// <summary>One entry of <c>GET /services/data/</c>.</summary>
public sealed record ApiVersion(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("version")] string Version);

/// <summary>The REST API's error envelope item (always sent in an array).</summary>
public sealed record RestError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errorCode")] string ErrorCode);

public sealed record SObjectAttributes(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("url")] string Url);

/// <summary>A User sObject with the commonly read fields.</summary>
public sealed record UserSObject(
    [property: JsonPropertyName("attributes")] SObjectAttributes Attributes,
    [property: JsonPropertyName("Id")] string Id,
    [property: JsonPropertyName("Username")] string Username,
    [property: JsonPropertyName("FirstName")] string FirstName,
    [property: JsonPropertyName("LastName")] string LastName,
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("Email")] string Email,
    [property: JsonPropertyName("IsActive")] bool IsActive,
    [property: JsonPropertyName("TimeZoneSidKey")] string TimeZoneSidKey,
    [property: JsonPropertyName("UserType")] string UserType);

/// <summary>One RSA key of <c>/id/keys</c>.</summary>
public sealed record JsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("kid")] string Kid);

public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<JsonWebKey> Keys);

/// <summary>The OIDC discovery document.</summary>
public sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("authorization_endpoint")] string AuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("userinfo_endpoint")] string UserinfoEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("registration_endpoint")] string RegistrationEndpoint,
    [property: JsonPropertyName("introspection_endpoint")] string IntrospectionEndpoint,
    [property: JsonPropertyName("end_session_endpoint")] string EndSessionEndpoint,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypesSupported,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    [property: JsonPropertyName("display_values_supported")] IReadOnlyList<string> DisplayValuesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("claims_supported")] IReadOnlyList<string> ClaimsSupported,
    [property: JsonPropertyName("code_challenge_methods_supported")] IReadOnlyList<string> CodeChallengeMethodsSupported);

/// <summary>The body of <c>POST /_emulator/faults</c>.</summary>
public sealed record FaultRequest(
    [property: JsonPropertyName("latencyMs")] int LatencyMs,
    [property: JsonPropertyName("statusCode")] int? StatusCode,
    [property: JsonPropertyName("path")] string? Path,
    [property: JsonPropertyName("count")] int? Count,
    [property: JsonPropertyName("retryAfterSeconds")] int? RetryAfterSeconds = null);

/// <summary>The body of <c>POST /_emulator/jwt-keys/rotate</c>: one org (all when null), and whether its older keys go.</summary>
public sealed record RotateKeysRequest(
    [property: JsonPropertyName("orgId")] string? OrgId,
    [property: JsonPropertyName("dropPrevious")] bool DropPrevious = false);

/// <summary>One org's new signing key, as <c>POST /_emulator/jwt-keys/rotate</c> reports it.</summary>
public sealed record RotatedKey(
    [property: JsonPropertyName("orgId")] string OrgId,
    [property: JsonPropertyName("kid")] string Kid);

/// <summary>The body of <c>POST /_emulator/rate-limit</c>: refuse that many logins, or all of them until cleared when null.</summary>
public sealed record RateLimitRequest([property: JsonPropertyName("count")] int? Count);

/// <summary>The body of <c>POST /_emulator/users/active</c> and <c>/_emulator/orgs/active</c>.</summary>
public sealed record ActiveFlagRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("orgId")] string? OrgId,
    [property: JsonPropertyName("active")] bool Active);

/// <summary>The answer of <c>POST /_emulator/tokens/expire</c>.</summary>
public sealed record ExpireResult([property: JsonPropertyName("expired")] int Expired);

[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(IntrospectionResponse))]
[JsonSerializable(typeof(IdentityResponse))]
[JsonSerializable(typeof(UserInfoResponse))]
[JsonSerializable(typeof(IReadOnlyList<ApiVersion>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(RestError[]))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(UserSObject))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(Fault))]
[JsonSerializable(typeof(ExpireResult))]
[JsonSerializable(typeof(RateLimitRequest))]
[JsonSerializable(typeof(RotateKeysRequest))]
[JsonSerializable(typeof(IReadOnlyList<RotatedKey>))]
[JsonSerializable(typeof(ActiveFlagRequest))]
[JsonSerializable(typeof(IReadOnlyList<RecordedRequest>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class EmulatorJsonContext : JsonSerializerContext;
