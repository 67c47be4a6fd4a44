using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;

namespace SalesforceEmulator.Apis;

/// <summary>
/// The discovery document's <c>registration_endpoint</c>, <c>/services/oauth2/register</c>. Salesforce accepts a registration
/// only with the initial access token generated for a connected app (help articles xcloud.remoteaccess_oidc_initial_access_token
/// and xcloud.remoteaccess_oidc_dynamic_client_reg_flow_ca); the emulator has no such token, so it refuses every caller the
/// way RFC 7591 §3 (through RFC 6750 §3.1) says: 401, <c>WWW-Authenticate: Bearer error="invalid_token"</c> [unverified:
/// Salesforce's exact status and body for a missing or wrong initial access token are not documented].
/// </summary>
public static class RegistrationApi
{
    private static readonly OAuthError MissingToken = new("invalid_token", "an initial access token is required");
    private static readonly OAuthError InvalidToken = new("invalid_token", "the initial access token is invalid");

    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder app)
    {
        // Every method: the initial access token is checked before anything else, so no caller gets a bare 404 or 405.
        app.MapMethods(EmulatorDefaults.RegistrationPath, [HttpMethods.Post, HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete], Register)
            .WithName("Register")
            .WithSummary("Dynamic client registration: refused without an initial access token")
            .DisableAntiforgery();
        return app;
    }

    public static JsonHttpResult<OAuthError> Register(HttpContext context, ILogger<OAuthError> logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        Log.RegistrationRefused(logger);
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        context.Response.Headers.CacheControl = "no-store";
        var error = BearerToken.Read(context.Request, allowQuery: false) is null ? MissingToken : InvalidToken;
        return TypedResults.Json(error, EmulatorJsonContext.Default.OAuthError, statusCode: StatusCodes.Status401Unauthorized);
    }
}
