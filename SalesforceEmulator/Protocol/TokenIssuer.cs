using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Protocol;

/// <summary>Issues tokens for a grant and shapes the token endpoint's answer as Salesforce does.</summary>
public sealed class TokenIssuer(TokenStore tokens, SigningKey signingKey, AccessTokenKeys accessTokenKeys, IOptions<EmulatorOptions> options)
{
    public const string BearerTokenType = "Bearer";

    /// <summary>
    /// Issues an access token, plus a refresh token when asked and an id_token when <c>openid</c> is granted
    /// to a flow that returns one (web server and refresh). <c>family</c> is the refresh-token family the new
    /// tokens join (refresh grant), or null for a new grant. Without <paramref name="withSignature"/> (the JWT-bearer
    /// grant) there is no <c>signature</c> or <c>issued_at</c>. A grant made through a site carries the community fields.
    /// <paramref name="asSessionId"/> (the password flow) answers without <c>scope</c> and issues a token that introspection
    /// never reports as active: "generates access tokens as Salesforce Session IDs that can't be introspected" and "doesn't
    /// support scopes or refresh tokens" (help article xcloud.remoteaccess_oauth_username_password_flow_ca).
    /// </summary>
    public TokenResponse Issue(TokenGrant grant, ConnectedApp app, bool withRefreshToken, string? family, bool withIdToken = false, bool withSignature = true, bool asSessionId = false)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(app);
        var settings = options.Value;
        var refresh = withRefreshToken ? tokens.IssueRefreshToken(grant, settings.RefreshTokenLifetime, family) : null;
        // An app with JWT-based access tokens gets them from every flow (help article xcloud.jwt_access_tokens).
        Func<DateTimeOffset, DateTimeOffset, string>? jwt = app.JwtAccessTokens
            ? (issuedAt, expiresAt) => JwtAccessToken.Create(grant, issuedAt, expiresAt, accessTokenKeys.Current(grant.User.Org))
            : null;
        var access = tokens.IssueAccessToken(grant, settings.AccessTokenLifetime, refresh?.Family ?? family, introspectable: !asSessionId, jwt);
        var id = EmulatorUrls.IdentityUrl(grant.LoginBase, grant.User);
        var issuedAt = access.IssuedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var idToken = withIdToken && Scopes.Contains(grant.Scope, "openid") ? CreateIdToken(grant, access, id) : null;
        return new TokenResponse(
            access.Token,
            refresh?.Token,
            withSignature ? Signature(app.ClientSecret ?? "", id, issuedAt) : null,
            asSessionId ? null : grant.Scope,
            idToken,
            grant.InstanceUrl,
            id,
            BearerTokenType,
            withSignature ? issuedAt : null,
            grant.Site is null ? null : grant.LoginBase,
            grant.Site?.Id18,
            // [reported: forcedotcom agents SDK types] a JWT-based token is announced so.
            app.JwtAccessTokens ? JwtAccessToken.Format : null);
    }

    /// <summary>Base64(HMAC-SHA256(key = client secret, message = id + issued_at)).</summary>
    public static string Signature(string clientSecret, string id, string issuedAt) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(id + issuedAt)));

    private string CreateIdToken(TokenGrant grant, AccessTokenRecord access, string identityUrl)
    {
        var user = grant.User;
        var iat = access.IssuedAt.ToUnixTimeSeconds();

        // at_hash: the left half of SHA-256 of the access token (OIDC Core 3.1.3.6).
        var atHash = SigningKey.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(access.Token)).AsSpan(0, 16));
        var payload = new JsonObject
        {
            ["at_hash"] = atHash,
            ["sub"] = identityUrl,
            ["aud"] = grant.ClientId,
            ["iss"] = grant.LoginBase,
            ["name"] = user.DisplayName,
            ["preferred_username"] = user.Username,
            ["nickname"] = NickName(user),
            ["given_name"] = user.FirstName,
            ["family_name"] = user.LastName,
            ["email"] = user.Email,
            ["email_verified"] = true,
            ["zoneinfo"] = user.TimeZone,
            ["user_id"] = user.Id18,
            ["organization_id"] = user.Org.Id18,
            ["exp"] = iat + (long)EmulatorDefaults.IdTokenLifetime.TotalSeconds,
            ["iat"] = iat,
            ["auth_time"] = iat,
        };
        if (grant.Nonce is not null)
        {
            payload["nonce"] = grant.Nonce;
        }

        return signingKey.Sign(payload);
    }

    /// <summary>Salesforce's default nickname: the part of the username before the '@'.</summary>
    public static string NickName(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var at = user.Username.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? user.Username[..at] : user.Username;
    }
}

/// <summary>Space-separated OAuth scope strings.</summary>
public static class Scopes
{
    public static IReadOnlyList<string> Split(string? scope) =>
        [.. (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    public static bool Contains(string? scope, string name) => Split(scope).Contains(name, StringComparer.Ordinal);

    /// <summary>True when the scope asks for a refresh token.</summary>
    public static bool AllowsRefreshToken(string? scope) => Contains(scope, "refresh_token") || Contains(scope, "offline_access");

    /// <summary>The scope without the refresh-token scopes, for grants that never issue one.</summary>
    public static string WithoutRefresh(IEnumerable<string> scopes) =>
        string.Join(' ', scopes.Where(s => s is not "refresh_token" and not "offline_access"));
}
