using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SalesforceIdentity.AspNetCore.Caching;
using SalesforceIdentity.AspNetCore.Validation;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.Jwt;

/// <summary>
/// Checks a JWT-based access token in process, with Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>: RS256 only,
/// signed by a key of the My Domain it names as <c>iss</c> (one the AuthService configured; keys are never fetched from a
/// URL in the token), <c>aud</c> that My Domain, <c>tty</c> <c>sfdc-core-token</c>, our <c>client_id</c>, an allowed org,
/// <c>exp</c>/<c>nbf</c> within the clock skew, not revoked. What it cannot vouch for goes to the AuthService (null):
/// revocations not being heard, settings not known, an unknown <c>kid</c> (a key rotation: the keys are fetched again
/// meanwhile), or a token issued before this instance began hearing revocations.
/// </summary>
internal sealed partial class JwtAccessTokenVerifier(
    IOptions<SalesforceTokenValidationOptions> options,
    ValidationSettingsSource settingsSource,
    JwtSigningKeys signingKeys,
    LocalValidationCache cache,
    RevokedTokens revoked,
    TimeProvider time,
    ILogger<JwtAccessTokenVerifier> logger) : ISalesforceTokenVerifier
{
    /// <summary>The header <c>tty</c> of an access token (an id_token, signed by the same org, has none).</summary>
    public const string AccessTokenType = "sfdc-core-token";

    private const string NotValidHere = "The token is not valid here: expired, revoked, or issued for another app or org.";

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly JwtAccessTokenOptions _options = options.Value.Jwt;
    private readonly StringPool _strings = new(capacity: 10_000);

    public async ValueTask<TokenVerdict?> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (_options.JwtAccessTokens != JwtAccessTokenMode.Local || !LooksLikeJwt(token))
        {
            return null;
        }

        // A revoked token would pass this check: it is made only while every revocation is heard and remembered.
        if (cache.ListeningSince is not { } listeningSince || revoked.IsFull)
        {
            return null;
        }

        if (await settingsSource.GetAsync() is not { Issuers.Count: > 0 } settings)
        {
            return null;
        }

        JsonWebToken jwt;
        try
        {
            jwt = Handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return Refused("unreadable");
        }

        // The token's iss only picks one of the configured My Domains; anything else is refused before any fetch.
        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Iss, out var issuer) || !settings.Issuers.Contains(issuer, StringComparer.Ordinal))
        {
            return Refused("issuer");
        }

        var issuerKeys = signingKeys.For(issuer);
        if (await issuerKeys.GetAsync(cancellationToken) is not { } keys)
        {
            LogKeysUnavailable(logger);
            return TokenVerdict.Unavailable;
        }

        if (!keys.TryGet(jwt.Kid, out var key))
        {
            // A rotation, or a made-up kid: fetch again (throttled), and let the AuthService judge this one.
            issuerKeys.RequestRefresh();
            return null;
        }

        var result = await Handler.ValidateTokenAsync(jwt, Parameters(issuer, key));
        if (!result.IsValid)
        {
            return Refused(result.Exception?.GetType().Name ?? "invalid");
        }

        if (!jwt.TryGetHeaderValue<string>("tty", out var tokenType) || tokenType != AccessTokenType
            || !jwt.TryGetPayloadValue<string>("client_id", out var clientId) || clientId != settings.ClientId
            || OrgOf(jwt) is not { } organizationId
            || (settings.AllowedOrgIds.Count > 0 && !settings.AllowedOrgIds.Contains(organizationId[..15], StringComparer.Ordinal))
            || UserOf(jwt) is not { } userId)
        {
            return Refused("claims");
        }

        if (revoked.Contains(token))
        {
            return Refused("revoked");
        }

        // Issued before revocations were heard here (with room for clock difference): it may have been revoked unheard.
        if (jwt.IssuedAt == DateTime.MinValue || jwt.IssuedAt < (listeningSince + _options.JwtClockSkew).UtcDateTime)
        {
            return null;
        }

        var caller = new IntrospectionResponse(
            Active: true,
            UserId: userId,
            OrganizationId: _strings.Get(organizationId),
            InstanceUrl: _strings.Get(issuer),
            Scope: _strings.Get(jwt.TryGetPayloadValue<string>("scp", out var scope) ? scope : null),
            ClientId: _strings.Get(clientId),
            TokenType: IntrospectionResponse.AccessTokenType,
            ExpiresAt: new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero).ToUnixTimeSeconds());
        return TokenVerdict.Confirmed(new ConfirmedCaller(caller, _strings.Get));
    }

    /// <summary>Three base64url parts, the first a JSON object (<c>eyJ</c>); Salesforce's opaque tokens hold a <c>!</c>.</summary>
    internal static bool LooksLikeJwt(string token) =>
        token.StartsWith("eyJ", StringComparison.Ordinal) && token.AsSpan().Count('.') == 2;

    private TokenValidationParameters Parameters(string issuer, SecurityKey key) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = issuer,
        IssuerSigningKey = key,
        // RS256 only: alg none, HS256 (with the public key as its secret) and every other algorithm are refused.
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = _options.JwtClockSkew,
        // The framework's own check reads the system clock (its TimeProvider is not public in 8.19): the same rule on ours.
        LifetimeValidator = WithinLifetime,
        TryAllIssuerSigningKeys = false,
    };

    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now < exp + _options.JwtClockSkew && (notBefore is not { } nbf || nbf - _options.JwtClockSkew <= now);
    }

    /// <summary>The org: the last part of the header's <c>tnk</c>, <c>core/{instance}/{org id}</c> (salesforce-protocol.md §13).</summary>
    private static string? OrgOf(JsonWebToken jwt) =>
        jwt.TryGetHeaderValue<string>("tnk", out var tenant) && tenant.LastIndexOf('/') is var slash and >= 0
            && tenant[(slash + 1)..] is { Length: 15 or 18 } org && org.StartsWith("00D", StringComparison.Ordinal) && org.All(char.IsAsciiLetterOrDigit)
            ? org
            : null;

    /// <summary>The user: <c>sub</c> is <c>uid:{user id}</c>.</summary>
    private static string? UserOf(JsonWebToken jwt) =>
        jwt.Subject is { Length: 19 or 22 } subject && subject.StartsWith("uid:005", StringComparison.Ordinal) && subject.AsSpan(4).ContainsAnyExcept(AsciiLettersAndDigits) is false
            ? subject[4..]
            : null;

    private static readonly System.Buffers.SearchValues<char> AsciiLettersAndDigits =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private TokenVerdict Refused(string reason)
    {
        LogRefused(logger, reason);
        return TokenVerdict.Refused(NotValidHere);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A JWT-based access token was refused in process: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The My Domain's signing keys (/id/keys) could not be fetched: JWT-based tokens not yet confirmed get 503")]
    private static partial void LogKeysUnavailable(ILogger logger);
}
