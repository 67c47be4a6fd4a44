using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary><c>POST /services/oauth2/token</c>: the password, authorization-code, refresh-token, client-credentials and JWT-bearer grants.</summary>
public static class TokenApi
{
    // The root element of the token endpoint's XML answer [unverified: recalled from Salesforce's documentation].
    private const string XmlRoot = "OAuth";

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(EmulatorDefaults.TokenPath, IssueToken)
            .WithName("Token")
            .WithSummary("Issues tokens as Salesforce's token endpoint does")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, BadRequest<OAuthError>, ContentHttpResult>> IssueToken(
        HttpContext context, [AsParameters] TokenServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        // A JSON body carries no form parameters: Salesforce sees no grant_type.
        if (OAuthRequest.HasJsonBody(context.Request))
        {
            return Refuse(services, OAuthErrors.UnsupportedGrantType, null, ResponseFormats.Choose(context.Request.Query["format"].FirstOrDefault(), context.Request));
        }

        var request = await OAuthRequest.ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return Refuse(services, OAuthErrors.InvalidRequest("malformed request body"), null, ResponseFormats.Choose(context.Request.Query["format"].FirstOrDefault(), context.Request));
        }

        var format = ResponseFormats.Choose(request["format"], context.Request);
        var grantType = request["grant_type"];
        var known = grantType is "password" or "authorization_code" or "refresh_token" or "client_credentials" or EmulatorDefaults.JwtBearerGrantType;

        // The rate_limit_exceeded hook refuses every login, whatever the grant [guess: Salesforce counts logins per user per hour].
        var result = !known ? OAuthErrors.UnsupportedGrantType
            : services.RateLimit.Exceeded() ? OAuthErrors.RateLimitExceeded
            : grantType switch
            {
                "password" => PasswordGrant(context.Request, request, services),
                "authorization_code" => AuthorizationCodeGrant(context, request, services),
                "refresh_token" => RefreshTokenGrant(context.Request, request, services),
                "client_credentials" => ClientCredentialsGrant(context.Request, request, services),
                _ => JwtBearerGrant(context.Request, request, services),
            };

        if (result.Error is { } error)
        {
            return Refuse(services, error, grantType, format);
        }

        var (response, clientId, userId) = result.Success!.Value;
        Log.TokensIssued(services.Logger, grantType!, clientId, userId, response.RefreshToken is not null);
        return format switch
        {
            ResponseFormat.Xml => TypedResults.Content(ResponseFormats.ToXml(ToNode(response), XmlRoot), ResponseFormats.XmlContentType),
            ResponseFormat.UrlEncoded => TypedResults.Content(ResponseFormats.ToUrlEncoded(ToNode(response)), ResponseFormats.UrlEncodedContentType),
            _ => TypedResults.Ok(response),
        };
    }

    private static GrantResult PasswordGrant(HttpRequest http, OAuthRequest request, TokenServices services)
    {
        if (Authenticate(http, request, services, secretRequired: true) is not { } app)
        {
            return ClientError(http, request, services);
        }

        var user = services.Directory.FindUserByUsername(request["username"]);
        if (!app.PasswordFlowAllowed || user is null || !EmulatorDirectory.PasswordMatches(user, request["password"]))
        {
            return OAuthErrors.AuthenticationFailure;
        }

        if (InactiveError(user) is { } inactive)
        {
            return inactive;
        }

        // A Session ID: no scope in the answer, no refresh token, not introspectable. Internally it keeps the app's scopes
        // (without the refresh ones) for the identity service's access check, as a session has full API access [unverified].
        var grant = new TokenGrant(app.ClientId, user, Scopes.WithoutRefresh(app.Scopes), EmulatorUrls.LoginBase(http), services.Urls.InstanceUrl(http, user.Org));
        return Success(services.Issuer.Issue(grant, app, withRefreshToken: false, family: null, asSessionId: true), app, user);
    }

    private static GrantResult AuthorizationCodeGrant(HttpContext context, OAuthRequest request, TokenServices services)
    {
        var http = context.Request;
        var app = services.Directory.FindApp(request.ReadClientCredentials(http).ClientId);
        if (app is null || Authenticate(http, request, services, secretRequired: app.RequireSecretForWebServer) is null)
        {
            return ClientError(http, request, services);
        }

        var code = services.Codes.Redeem(request["code"]);
        if (code is null || code.Grant.ClientId != app.ClientId)
        {
            return OAuthErrors.ExpiredAuthorizationCode;
        }

        if (!string.Equals(request["redirect_uri"], code.RedirectUri, StringComparison.Ordinal))
        {
            return OAuthErrors.RedirectUriMismatch;
        }

        if (code.CodeChallenge is not null)
        {
            var verifier = request["code_verifier"];
            if (verifier is null)
            {
                return OAuthErrors.MissingCodeVerifier;
            }

            if (!Pkce.Matches(verifier, code.CodeChallenge, code.CodeChallengeMethod))
            {
                return OAuthErrors.InvalidCodeVerifier;
            }
        }

        var user = code.Grant.User;
        if (InactiveError(user) is { } inactive)
        {
            return inactive;
        }

        var withRefresh = app.RefreshTokensAllowed && Scopes.AllowsRefreshToken(code.Grant.Scope);
        return Success(services.Issuer.Issue(code.Grant, app, withRefresh, family: null, withIdToken: true), app, user);
    }

    private static GrantResult RefreshTokenGrant(HttpRequest http, OAuthRequest request, TokenServices services)
    {
        var app = services.Directory.FindApp(request.ReadClientCredentials(http).ClientId);
        if (app is null || Authenticate(http, request, services, secretRequired: app.RequireSecretForRefresh) is null)
        {
            return ClientError(http, request, services);
        }

        var (outcome, refresh) = services.Tokens.UseRefreshToken(request["refresh_token"], app.ClientId, app.RefreshTokenRotation);
        if (outcome == RefreshOutcome.ReuseDetected)
        {
            Log.RefreshTokenReuse(services.Logger, app.ClientId);
        }

        if (refresh is null)
        {
            return OAuthErrors.ExpiredRefreshToken;
        }

        if (InactiveError(refresh.User) is { } inactive)
        {
            return inactive;
        }

        var grant = new TokenGrant(app.ClientId, refresh.User, refresh.Scope, EmulatorUrls.LoginBase(http), services.Urls.InstanceUrl(http, refresh.User.Org));

        // Without rotation the refresh token stays valid and none is returned; with it, a new one replaces it.
        return Success(services.Issuer.Issue(grant, app, withRefreshToken: app.RefreshTokenRotation, refresh.Family, withIdToken: true), app, refresh.User);
    }

    private static GrantResult ClientCredentialsGrant(HttpRequest http, OAuthRequest request, TokenServices services)
    {
        if (Authenticate(http, request, services, secretRequired: true) is not { } app)
        {
            return ClientError(http, request, services);
        }

        var user = services.Directory.FindUserByUsername(app.ClientCredentialsUser);
        if (user is null)
        {
            return OAuthErrors.NoClientCredentialsUser;
        }

        if (InactiveError(user) is { } inactive)
        {
            return inactive;
        }

        var grant = new TokenGrant(app.ClientId, user, Scopes.WithoutRefresh(app.Scopes), EmulatorUrls.LoginBase(http), services.Urls.InstanceUrl(http, user.Org));
        return Success(services.Issuer.Issue(grant, app, withRefreshToken: false, family: null), app, user);
    }

    /// <summary>
    /// The JWT-bearer grant: an RS256 assertion signed with the key of the app's certificate, <c>iss</c> = client id,
    /// <c>sub</c> = username, <c>aud</c> = the login host (or the site's URL), <c>exp</c> in the future. No refresh token,
    /// and no <c>signature</c> or <c>issued_at</c> (help article xcloud.remoteaccess_oauth_jwt_flow).
    /// </summary>
    private static GrantResult JwtBearerGrant(HttpRequest http, OAuthRequest request, TokenServices services)
    {
        var assertion = JwtAssertion.Parse(request["assertion"]);
        if (assertion is null)
        {
            return OAuthErrors.InvalidAssertion;
        }

        var app = services.Directory.FindApp(assertion.Issuer);
        if (app is null)
        {
            return OAuthErrors.InvalidClientId;
        }

        // An app without a certificate has the flow off.
        if (app.JwtKey is null)
        {
            return OAuthErrors.UnsupportedGrantType;
        }

        if (!assertion.IsSignedBy(app.JwtKey))
        {
            return OAuthErrors.InvalidAssertion;
        }

        var loginBase = EmulatorUrls.LoginBase(http);
        if (!assertion.Audiences.Any(aud => SameUrl(aud, loginBase)))
        {
            return OAuthErrors.AudienceValidationFailed;
        }

        if (assertion.ExpiresAt is not { } exp || exp <= services.Time.GetUtcNow().ToUnixTimeSeconds())
        {
            return OAuthErrors.ExpiredAuthorizationCode;
        }

        // An unknown username reads as not approved: Salesforce does not say whether a user exists [unverified].
        var user = services.Directory.FindUserByUsername(assertion.Subject);
        if (user is null || (app.PreApprovedUsers.Count > 0 && !app.PreApprovedUsers.Contains(user.Username, StringComparer.OrdinalIgnoreCase)))
        {
            return OAuthErrors.UserNotApproved;
        }

        if (InactiveError(user) is { } inactive)
        {
            return inactive;
        }

        var grant = new TokenGrant(app.ClientId, user, Scopes.WithoutRefresh(app.Scopes), loginBase, services.Urls.InstanceUrl(http, user.Org));
        return Success(services.Issuer.Issue(grant, app, withRefreshToken: false, family: null, withSignature: false), app, user);
    }

    /// <summary>A locked org is reported before an inactive user [unverified: the order is a guess].</summary>
    private static OAuthError? InactiveError(User user) =>
        !user.Org.Active ? OAuthErrors.InactiveOrg : !user.Active ? OAuthErrors.InactiveUser : null;

    /// <summary>Two URLs that differ only by a trailing slash or the case of scheme and host are the same audience [unverified].</summary>
    private static bool SameUrl(string audience, string loginBase) =>
        Uri.TryCreate(audience.TrimEnd('/'), UriKind.Absolute, out var a)
        && Uri.TryCreate(loginBase.TrimEnd('/'), UriKind.Absolute, out var b)
        && Uri.Compare(a, b, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>The app when the client authenticates; a public client (no secret) only where a secret is not required.</summary>
    private static ConnectedApp? Authenticate(HttpRequest http, OAuthRequest request, TokenServices services, bool secretRequired)
    {
        var credentials = request.ReadClientCredentials(http);
        var app = services.Directory.FindApp(credentials.ClientId);
        if (credentials.Malformed || app is null)
        {
            return null;
        }

        if (credentials.ClientAssertion is { } assertion)
        {
            return ClientAssertionValid(assertion, app, http, services) ? app : null;
        }

        if (credentials.ClientSecret is null)
        {
            return secretRequired ? null : app;
        }

        return app.ClientSecret is not null && EmulatorDirectory.CryptographicEquals(app.ClientSecret, credentials.ClientSecret) ? app : null;
    }

    /// <summary>
    /// private_key_jwt (RFC 7523 §2.2): <c>iss</c> = <c>sub</c> = client id, signed with the app's certificate key, <c>aud</c>
    /// the login host or its token endpoint [unverified: Salesforce's accepted audiences], <c>exp</c> in the future.
    /// </summary>
    private static bool ClientAssertionValid(string jwt, ConnectedApp app, HttpRequest http, TokenServices services)
    {
        var assertion = JwtAssertion.Parse(jwt);
        var loginBase = EmulatorUrls.LoginBase(http);
        return assertion is not null
            && app.JwtKey is not null
            && assertion.Issuer == app.ClientId
            && assertion.Subject == app.ClientId
            && assertion.IsSignedBy(app.JwtKey)
            && assertion.Audiences.Any(aud => SameUrl(aud, loginBase) || SameUrl(aud, loginBase + EmulatorDefaults.TokenPath))
            && assertion.ExpiresAt is { } exp && exp > services.Time.GetUtcNow().ToUnixTimeSeconds();
    }

    /// <summary>Why client authentication failed: an unknown client id, or bad credentials for a known one.</summary>
    private static OAuthError ClientError(HttpRequest http, OAuthRequest request, TokenServices services)
    {
        var credentials = request.ReadClientCredentials(http);
        if (credentials.Malformed)
        {
            return OAuthErrors.InvalidClientCredentials;
        }

        return services.Directory.FindApp(credentials.ClientId) is null ? OAuthErrors.InvalidClientId : OAuthErrors.InvalidClientCredentials;
    }

    private static GrantResult Success(TokenResponse response, ConnectedApp app, User user) => new(null, (response, app.ClientId, user.Id18));

    private static Results<Ok<TokenResponse>, BadRequest<OAuthError>, ContentHttpResult> Refuse(TokenServices services, OAuthError error, string? grantType, ResponseFormat format)
    {
        Log.TokenRequestRefused(services.Logger, error.Error, grantType);

        // Errors follow the requested format too [unverified].
        return format switch
        {
            ResponseFormat.Xml => TypedResults.Content(ResponseFormats.ToXml(ToNode(error), XmlRoot), ResponseFormats.XmlContentType, statusCode: StatusCodes.Status400BadRequest),
            ResponseFormat.UrlEncoded => TypedResults.Content(ResponseFormats.ToUrlEncoded(ToNode(error)), ResponseFormats.UrlEncodedContentType, statusCode: StatusCodes.Status400BadRequest),
            _ => TypedResults.BadRequest(error),
        };
    }

    private static JsonObject ToNode(TokenResponse response) => JsonSerializer.SerializeToNode(response, EmulatorJsonContext.Default.TokenResponse)!.AsObject();

    private static JsonObject ToNode(OAuthError error) => JsonSerializer.SerializeToNode(error, EmulatorJsonContext.Default.OAuthError)!.AsObject();

    private readonly record struct GrantResult(OAuthError? Error, (TokenResponse Response, string ClientId, string UserId)? Success)
    {
        public static implicit operator GrantResult(OAuthError error) => new(error, null);
    }
}

/// <summary>What the token endpoint's handler needs.</summary>
public sealed record TokenServices(
    EmulatorDirectory Directory,
    AuthorizationCodeStore Codes,
    TokenStore Tokens,
    TokenIssuer Issuer,
    EmulatorUrls Urls,
    LoginRateLimit RateLimit,
    TimeProvider Time,
    ILogger<TokenIssuer> Logger);
