using System.Text.Json.Serialization;

namespace SalesforceIdentity.Contract;

/// <summary>RFC 6749 §5.2 error body: the shape of every 4xx and 503 either side answers.</summary>
/// <param name="Error">An OAuth error code, e.g. <c>invalid_token</c>.</param>
/// <param name="ErrorDescription">What went wrong and what to do, in one sentence.</param>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
