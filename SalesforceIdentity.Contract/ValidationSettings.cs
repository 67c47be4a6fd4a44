using System.Text.Json.Serialization;

namespace SalesforceIdentity.Contract;

/// <summary>
/// What an API needs to check a JWT-based access token by itself, published by the AuthService at
/// <see cref="InternalApi.ValidationSettingsPath"/> to holders of the internal API key: one source of truth, so the
/// AuthService and its APIs cannot drift apart on which app, orgs and My Domains a token may come from.
/// </summary>
/// <param name="ClientId">The connected app's consumer key: a token's <c>client_id</c> must be this.</param>
/// <param name="Issuers">
/// The My Domain URLs (origins, no trailing slash) whose JWT-based access tokens are accepted: a token's <c>iss</c> and
/// <c>aud</c> must be one of them, and its keys are fetched only from that URL's <c>/id/keys</c>. Empty: none are
/// checked locally, and every token is asked of the AuthService.
/// </param>
/// <param name="AllowedOrgIds">The 15-character org IDs whose tokens are accepted; empty means any org (as on the AuthService).</param>
public sealed record ValidationSettings(
    [property: JsonPropertyName("client_id"), JsonRequired] string ClientId,
    [property: JsonPropertyName("issuers"), JsonRequired] IReadOnlyList<string> Issuers,
    [property: JsonPropertyName("allowed_org_ids"), JsonRequired] IReadOnlyList<string> AllowedOrgIds);
