using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary><c>POST /services/oauth2/token</c>: the password, authorization-code, refresh-token and client-credentials grants.</summary>
public static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(EmulatorDefaults.TokenPath, IssueToken)
            .WithName("Token")
            .WithSummary("Issues tokens as Salesforce's token endpoint does")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, BadRequest<OAuthError>>> IssueToken(
        HttpContext context, [AsParameters] TokenServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        // A JSON body carries no form parameters: Salesforce sees no grant_type.
        if (OAuthRequest.HasJsonBody(context.Request))
        {
            return Refuse(services, OAuthErrors.UnsupportedGrantType, null);
        }

        var request = await OAuthRequest.ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return Refuse(services, OAuthErrors.InvalidRequest("malformed request body"), null);
        }

        var grantType = request["grant_type"];
        var result = grantType switch
        {
            "password" => PasswordGrant(context.Request, request, services),
            "authorization_code" => AuthorizationCodeGrant(context.Request, request, services),
            "refresh_token" => RefreshTokenGrant(context.Request, request, services),
            "client_credentials" => ClientCredentialsGrant(context.Request, request, services),
            _ => OAuthErrors.UnsupportedGrantType,
        };

        if (result.Error is { } error)
        {
            return Refuse(services, error, grantType);
        }

        var (response, clientId, userId) = result.Success!.Value;
        Log.TokensIssued(services.Logger, grantType!, clientId, userId, response.RefreshToken is not null);
        return TypedResults.Ok(response);
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

        if (!user.Active)
        {
            return OAuthErrors.InactiveUser;
        }

        // The password flow never yields a refresh token, so the refresh scopes are not granted either.
        var grant = new TokenGrant(app.ClientId, user, Scopes.WithoutRefresh(app.Scopes), EmulatorUrls.LoginBase(http), services.Urls.InstanceUrl(http, user.Org));
        return Success(services.Issuer.Issue(grant, app, withRefreshToken: false, family: null), app, user);
    }

    private static GrantResult AuthorizationCodeGrant(HttpRequest http, OAuthRequest request, TokenServices services)
    {
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
        if (!user.Active)
        {
            return OAuthErrors.InactiveUser;
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

        if (!refresh.User.Active)
        {
            return OAuthErrors.InactiveUser;
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

        if (!user.Active)
        {
            return OAuthErrors.InactiveUser;
        }

        var grant = new TokenGrant(app.ClientId, user, Scopes.WithoutRefresh(app.Scopes), EmulatorUrls.LoginBase(http), services.Urls.InstanceUrl(http, user.Org));
        return Success(services.Issuer.Issue(grant, app, withRefreshToken: false, family: null), app, user);
    }

    /// <summary>The app when the client authenticates; a public client (no secret) only where a secret is not required.</summary>
    private static ConnectedApp? Authenticate(HttpRequest http, OAuthRequest request, TokenServices services, bool secretRequired)
    {
        var credentials = request.ReadClientCredentials(http);
        var app = services.Directory.FindApp(credentials.ClientId);
        if (credentials.Malformed || app is null)
        {
            return null;
        }

        if (credentials.ClientSecret is null)
        {
            return secretRequired ? null : app;
        }

        return app.ClientSecret is not null && EmulatorDirectory.CryptographicEquals(app.ClientSecret, credentials.ClientSecret) ? app : null;
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

    private static BadRequest<OAuthError> Refuse(TokenServices services, OAuthError error, string? grantType)
    {
        Log.TokenRequestRefused(services.Logger, error.Error, grantType);
        return TypedResults.BadRequest(error);
    }

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
    ILogger<TokenIssuer> Logger);
