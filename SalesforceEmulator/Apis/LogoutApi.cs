using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary>
/// The discovery document's <c>end_session_endpoint</c>, <c>/services/auth/idp/oidc/logout</c>: ends the browser's login
/// session (help article xcloud.security_auth_slo_oidc_idp_configuring: "users can log out of either Salesforce or the
/// relying party", front-channel only). Then it redirects to <c>post_logout_redirect_uri</c> only when the app identified by
/// <c>id_token_hint</c> or <c>client_id</c> registered it, as OpenID Connect RP-Initiated Logout 1.0 §3 asks, with
/// <c>state</c> appended; otherwise it shows a logged-out page and never redirects [unverified: Salesforce's help names no
/// such parameter, and a client vendor (ionic.io/docs/auth-connect/salesforce) reports that Salesforce ignores it and
/// sends the browser to the app's Single Logout URL or the org's logout page instead].
/// </summary>
public static class LogoutApi
{
    public static IEndpointRouteBuilder MapLogoutApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(EmulatorDefaults.LogoutPath, [HttpMethods.Get, HttpMethods.Post], LogOut)
            .WithName("Logout")
            .WithSummary("Ends the login session and redirects to a registered post-logout URI")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> LogOut(
        HttpContext context, [AsParameters] LogoutServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var ended = services.Sessions.End(context.Request.Cookies[LoginSessionStore.CookieName]);
        context.Response.Cookies.Delete(LoginSessionStore.CookieName, new CookieOptions { Path = "/" });
        context.Response.Headers.CacheControl = "no-store";

        // A malformed form body leaves nothing to redirect to: the session is still ended.
        var request = await OAuthRequest.ReadAsync(context.Request, cancellationToken);
        var target = request?["post_logout_redirect_uri"];
        var app = request is null ? null : RequestingApp(request, services);
        if (target is not null && app is not null && app.PostLogoutRedirectUrls.Contains(target, StringComparer.Ordinal))
        {
            Log.LoggedOut(services.Logger, ended, redirected: true);
            return TypedResults.Redirect(request!["state"] is { } state ? QueryHelpers.AddQueryString(target, "state", state) : target);
        }

        Log.LoggedOut(services.Logger, ended, redirected: false);
        return TypedResults.Content(LoginPage.LoggedOut(), "text/html; charset=utf-8");
    }

    /// <summary>
    /// The app an <c>id_token_hint</c> this emulator signed was issued to (its <c>aud</c>; an expired one still names it, as
    /// RP-Initiated Logout allows), else the one named by <c>client_id</c>; none when the two disagree or the hint is forged.
    /// </summary>
    private static ConnectedApp? RequestingApp(OAuthRequest request, LogoutServices services)
    {
        var clientId = request["client_id"];
        if (request["id_token_hint"] is not { } hint)
        {
            return services.Directory.FindApp(clientId);
        }

        var idToken = JwtAssertion.Parse(hint);
        if (idToken is null || !services.SigningKey.HasSigned(idToken) || idToken.Audiences is not [var audience])
        {
            return null;
        }

        return clientId is null || clientId == audience ? services.Directory.FindApp(audience) : null;
    }
}

/// <summary>What the logout handler needs.</summary>
public sealed record LogoutServices(
    EmulatorDirectory Directory,
    LoginSessionStore Sessions,
    SigningKey SigningKey,
    ILogger<LoginSessionStore> Logger);
