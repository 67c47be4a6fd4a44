using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Protocol;

/// <summary>
/// A JWT-based access token as Salesforce issues it when the connected app has "Issue JSON Web Token (JWT)-based access tokens
/// for named users" on (help articles xcloud.jwt_access_tokens and xcloud.jwt_connectedapp_enable): RS256, verifiable with the
/// key of the org's <c>/id/keys</c> (help article 004980324). Header and claims follow a real token in Salesforce's Mobile
/// SDK for Android test fixture (<c>JwtAccessTokenTest.java</c>) and its parser (<c>JwtAccessToken.kt</c>).
/// </summary>
public static class JwtAccessToken
{
    public const string Format = "jwt";

    /// <summary>Seconds <c>nbf</c> lies before <c>iat</c>, as in Salesforce's fixture.</summary>
    public const int NotBeforeSkewSeconds = 15;

    /// <summary>
    /// The instance part of <c>tnk</c> (<c>core/{instance}/{org18}</c>); Salesforce names its server pod there
    /// [unverified: what a validator may expect of it].
    /// </summary>
    public const string TenantInstance = "emulator";

    /// <summary>
    /// Signs a token for <paramref name="grant"/>: <c>iss</c> and <c>aud</c> are the org's My Domain (the grant's instance URL),
    /// <c>sub</c> <c>uid:{user18}</c>, <c>scp</c> the scopes. <c>mty</c> is <c>oauth</c>. <c>sfi</c> is 64 hex digits, as in the
    /// fixture, drawn at random for each token [unverified: its meaning is not documented; what matters here is that two tokens
    /// minted in the same second for the same user are not the same string, as two sessions at Salesforce are not]. The fixture's
    /// <c>hsc</c> and <c>roles</c> are left out [reported: their meanings are not documented]. No <c>jti</c>, as in the fixture.
    /// </summary>
    public static string Create(TokenGrant grant, DateTimeOffset issuedAt, DateTimeOffset expiresAt, AccessTokenKey key)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(key);
        var org = grant.User.Org;
        var header = new JsonObject
        {
            ["tnk"] = $"core/{TenantInstance}/{org.Id18}",
            ["ver"] = "1.0",
            ["kid"] = key.Kid,
            ["tty"] = "sfdc-core-token",
            ["typ"] = "JWT",
            ["alg"] = "RS256",
        };
        var iat = issuedAt.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["scp"] = grant.Scope,
            ["aud"] = new JsonArray(grant.InstanceUrl),
            ["sub"] = $"uid:{grant.User.Id18}",
            ["nbf"] = iat - NotBeforeSkewSeconds,
            ["mty"] = "oauth",
            ["sfi"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["iss"] = grant.InstanceUrl,
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["iat"] = iat,
            ["client_id"] = grant.ClientId,
        };
        return Jws.SignRs256(header, payload, key.Rsa);
    }
}
