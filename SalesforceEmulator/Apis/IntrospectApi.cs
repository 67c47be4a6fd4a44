using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary><c>POST /services/oauth2/introspect</c> (RFC 7662): only the owning app, or one allowed to introspect all tokens, sees a token as active.</summary>
public static class IntrospectApi
{
    public static IEndpointRouteBuilder MapIntrospectApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(EmulatorDefaults.IntrospectPath, Introspect)
            .WithName("Introspect")
            .WithSummary("Tells whether a token is active, and what for")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Ok<IntrospectionResponse>, JsonHttpResult<OAuthError>, BadRequest<OAuthError>>> Introspect(
        HttpContext context, EmulatorDirectory directory, TokenStore tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        var request = await OAuthRequest.ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return TypedResults.BadRequest(OAuthErrors.InvalidRequest("malformed request body"));
        }

        var credentials = request.ReadClientCredentials(context.Request);
        var caller = directory.FindApp(credentials.ClientId);
        if (credentials.Malformed || caller?.ClientSecret is null || credentials.ClientSecret is null
            || !EmulatorDirectory.CryptographicEquals(caller.ClientSecret, credentials.ClientSecret))
        {
            return TypedResults.Json(OAuthErrors.InvalidClientCredentials, statusCode: StatusCodes.Status401Unauthorized);
        }

        var token = request["token"];
        if (token is null)
        {
            return TypedResults.BadRequest(OAuthErrors.InvalidRequest("token is required"));
        }

        // The hint only orders the lookups, as RFC 7662 allows.
        IntrospectionResponse? answer = request["token_type_hint"] == "refresh_token"
            ? AsRefresh(tokens.FindActiveRefreshToken(token)) ?? AsAccess(tokens.FindActiveAccessToken(token))
            : AsAccess(tokens.FindActiveAccessToken(token)) ?? AsRefresh(tokens.FindActiveRefreshToken(token));
        return TypedResults.Ok(answer is not null && (answer.ClientId == caller.ClientId || caller.IntrospectAll) ? answer : new IntrospectionResponse(false));
    }

    // A password-flow Session ID is never introspectable, not even by its own app or one that may introspect all tokens
    // (help article xcloud.remoteaccess_oauth_username_password_flow_ca; salesforce.stackexchange.com question 305477).
    private static IntrospectionResponse? AsAccess(AccessTokenRecord? record) => record is not { Introspectable: true } ? null : new IntrospectionResponse(
        Active: true,
        Scope: record.Scope,
        ClientId: record.ClientId,
        Username: record.User.Username,
        Sub: EmulatorUrls.IdentityUrl(record.LoginBase, record.User),
        TokenType: "access_token",
        Exp: record.ExpiresAt.ToUnixTimeSeconds(),
        Iat: record.IssuedAt.ToUnixTimeSeconds(),
        Nbf: record.IssuedAt.ToUnixTimeSeconds());

    private static IntrospectionResponse? AsRefresh(RefreshTokenRecord? record) => record is null ? null : new IntrospectionResponse(
        Active: true,
        Scope: record.Scope,
        ClientId: record.ClientId,
        Username: record.User.Username,
        Sub: EmulatorUrls.IdentityUrl(record.LoginBase, record.User),
        TokenType: "refresh_token",
        Exp: record.ExpiresAt.ToUnixTimeSeconds(),
        Iat: record.IssuedAt.ToUnixTimeSeconds(),
        Nbf: record.IssuedAt.ToUnixTimeSeconds());
}
