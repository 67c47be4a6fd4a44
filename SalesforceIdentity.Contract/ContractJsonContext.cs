using System.Text.Json.Serialization;

namespace SalesforceIdentity.Contract;

/// <summary>Source-generated JSON for the contract's bodies; absent optional members are left out, as RFC 7662 answers them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IntrospectionResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(ValidationSettings))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
