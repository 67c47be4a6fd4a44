using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary><c>/services/oauth2/authorize</c>: the login form of the web-server (<c>code</c>) and user-agent (<c>token</c>) flows; consent is skipped.</summary>
public static class AuthorizeApi
{
    public static IEndpointRouteBuilder MapAuthorizeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(EmulatorDefaults.AuthorizePath, ShowLogin)
            .WithName("Authorize")
            .WithSummary("Validates the authorization request and shows the login form");
        app.MapPost(EmulatorDefaults.AuthorizePath, LogIn)
            .WithName("AuthorizeLogin")
            .WithSummary("Checks the login form and redirects to the callback with a code")
            .DisableAntiforgery();
        return app;
    }

    public static Results<ContentHttpResult, RedirectHttpResult> ShowLogin(HttpContext context, [AsParameters] AuthorizeServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var query = context.Request.Query;
        var parameters = AuthorizeParameters.From(name => NullIfEmpty(query[name].FirstOrDefault()));
        var validation = Validate(parameters, services.Directory);
        if (validation.PageError is { } pageError)
        {
            return Html(context, LoginPage.Error(pageError), StatusCodes.Status400BadRequest, formTarget: null);
        }

        if (validation.RedirectError is { } redirectError)
        {
            return RedirectWithError(parameters, redirectError);
        }

        // immediate=true: no UI; with a live login session the flow completes at once, else immediate_unsuccessful
        // (web-server flow help page, xcloud.remoteaccess_oauth_web_server_flow). Consent is always skipped, so "approved".
        if (string.Equals(query["immediate"].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return services.Sessions.Find(context.Request.Cookies[LoginSessionStore.CookieName]) is { } sessionUser
                ? Complete(context, parameters, validation, sessionUser, services)
                : RedirectWithError(parameters, OAuthErrors.ImmediateUnsuccessful);
        }

        // Without immediate the form is shown every time, even with a live session, and prompt=login (or consent,
        // select_account) changes nothing [unverified: Salesforce skips the form for a logged-in user; kept so every test logs in alike].

        return Html(context, LoginPage.Login(FormAction(context), parameters, username: null, error: null), StatusCodes.Status200OK, parameters.RedirectUri);
    }

    public static async Task<Results<ContentHttpResult, RedirectHttpResult>> LogIn(
        HttpContext context, [AsParameters] AuthorizeServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);

        // No antiforgery token: the form is only accepted from the emulator's own pages (or from a non-browser client).
        if (IsCrossSite(context.Request, out var origin))
        {
            Log.CrossSiteLoginRefused(services.Logger, origin);
            return TypedResults.Text("Cross-site login form posts are not accepted.", "text/plain", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!context.Request.HasFormContentType)
        {
            return Html(context, LoginPage.Error(OAuthErrors.InvalidRequest("the login form must be posted as a form")), StatusCodes.Status400BadRequest, formTarget: null);
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return Html(context, LoginPage.Error(OAuthErrors.InvalidRequest("malformed request body")), StatusCodes.Status400BadRequest, formTarget: null);
        }

        // The hidden fields are checked again: nothing the browser sends back is trusted.
        var parameters = AuthorizeParameters.From(name => NullIfEmpty(form[name].FirstOrDefault()));
        var validation = Validate(parameters, services.Directory);
        if (validation.PageError is { } pageError)
        {
            return Html(context, LoginPage.Error(pageError), StatusCodes.Status400BadRequest, formTarget: null);
        }

        if (validation.RedirectError is { } redirectError)
        {
            return RedirectWithError(parameters, redirectError);
        }

        var app = validation.App!;
        var username = form["username"].FirstOrDefault();
        var user = services.Directory.FindUserByUsername(username);
        if (user is null || !EmulatorDirectory.PasswordMatches(user, form["password"].FirstOrDefault()))
        {
            Log.LoginFailed(services.Logger, app.ClientId);
            return Html(context, LoginPage.Login(FormAction(context), parameters, username, LoginPage.LoginFailedMessage), StatusCodes.Status200OK, parameters.RedirectUri);
        }

        if (services.RateLimit.Exceeded())
        {
            return RedirectWithError(parameters, OAuthErrors.RateLimitExceeded);
        }

        if (!user.Org.Active || !user.Active)
        {
            return RedirectWithError(parameters, user.Org.Active ? OAuthErrors.InactiveUser : OAuthErrors.InactiveOrg);
        }

        context.Response.Cookies.Append(LoginSessionStore.CookieName, services.Sessions.Start(user), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
        });
        return Complete(context, parameters, validation, user, services);
    }

    /// <summary>
    /// The user is known and active (by the form, or a live session): redirect with a code, or with tokens for the
    /// user-agent flow.
    /// </summary>
    private static RedirectHttpResult Complete(HttpContext context, AuthorizeParameters parameters, AuthorizeValidation validation, User user, AuthorizeServices services)
    {
        var app = validation.App!;
        var grant = new TokenGrant(
            app.ClientId, user, validation.Scope!, EmulatorUrls.LoginBase(context.Request), services.Urls.InstanceUrl(context.Request, user.Org),
            parameters.Nonce, SitePrefixMiddleware.CurrentSite(context));
        if (IsTokenFlow(parameters.ResponseType))
        {
            return RedirectWithTokens(parameters, grant, app, services);
        }

        var code = services.Codes.Issue(grant, parameters.RedirectUri!, parameters.CodeChallenge, parameters.CodeChallenge is null ? null : parameters.CodeChallengeMethod ?? Pkce.DefaultMethod);
        Log.AuthorizationCodeIssued(services.Logger, app.ClientId, user.Id18);

        var query = new Dictionary<string, string?> { ["code"] = code };
        if (parameters.State is not null)
        {
            query["state"] = parameters.State;
        }

        return TypedResults.Redirect(QueryHelpers.AddQueryString(parameters.RedirectUri!, query));
    }

    /// <summary>
    /// Salesforce's order: a bad client or redirect URI gets an error page (never a redirect to an unregistered URI);
    /// anything else wrong is sent to the redirect URI.
    /// </summary>
    private static AuthorizeValidation Validate(AuthorizeParameters parameters, EmulatorDirectory directory)
    {
        var app = directory.FindApp(parameters.ClientId);
        if (app is null)
        {
            return new(null, null, OAuthErrors.InvalidClientId, null);
        }

        if (parameters.RedirectUri is null)
        {
            return new(null, null, OAuthErrors.RedirectUriMissing, null);
        }

        if (!app.CallbackUrls.Contains(parameters.RedirectUri, StringComparer.Ordinal))
        {
            return new(null, null, OAuthErrors.RedirectUriMismatch, null);
        }

        if (parameters.ResponseType != "code" && !IsTokenFlow(parameters.ResponseType))
        {
            return new(app, null, null, OAuthErrors.UnsupportedResponseType);
        }

        if (parameters.CodeChallenge is not null && !Pkce.IsSupportedMethod(parameters.CodeChallengeMethod))
        {
            return new(app, null, null, OAuthErrors.InvalidCodeChallengeMethod);
        }

        // PKCE protects a code; the token flows have none.
        if (app.RequirePkce && parameters.CodeChallenge is null && parameters.ResponseType == "code")
        {
            return new(app, null, null, OAuthErrors.MissingCodeChallenge);
        }

        // No scope asks for everything the app has.
        var requested = Scopes.Split(parameters.Scope);
        if (requested.Any(s => !app.Scopes.Contains(s, StringComparer.Ordinal)))
        {
            return new(app, null, null, OAuthErrors.InvalidScope);
        }

        return new(app, string.Join(' ', requested.Count > 0 ? requested : app.Scopes), null, null);
    }

    /// <summary>Errors go to the redirect URI: in the query for the code flow, in the fragment for the token flows.</summary>
    private static RedirectHttpResult RedirectWithError(AuthorizeParameters parameters, OAuthError error)
    {
        var fields = new List<KeyValuePair<string, string?>> { new("error", error.Error), new("error_description", error.ErrorDescription) };
        if (parameters.State is not null)
        {
            fields.Add(new("state", parameters.State));
        }

        return IsTokenFlow(parameters.ResponseType)
            ? TypedResults.Redirect(WithFragment(parameters.RedirectUri!, fields))
            : TypedResults.Redirect(QueryHelpers.AddQueryString(parameters.RedirectUri!, fields));
    }

    /// <summary>
    /// The user-agent flow: the tokens in the fragment, in the order of Salesforce's documented example
    /// (<c>access_token, refresh_token, instance_url, id, issued_at, signature, scope, token_type</c>), then
    /// <c>id_token</c> for <c>token id_token</c> and <c>state</c>.
    /// </summary>
    private static RedirectHttpResult RedirectWithTokens(AuthorizeParameters parameters, TokenGrant grant, ConnectedApp app, AuthorizeServices services)
    {
        // A refresh token when the app allows one and the scope asks for it [unverified: Salesforce also weighs the callback's scheme].
        var withRefresh = app.RefreshTokensAllowed && Scopes.AllowsRefreshToken(grant.Scope);
        var withIdToken = Scopes.Split(parameters.ResponseType).Contains("id_token", StringComparer.Ordinal);
        var tokens = services.Issuer.Issue(grant, app, withRefresh, family: null, withIdToken);
        var fields = new List<KeyValuePair<string, string?>> { new("access_token", tokens.AccessToken) };
        if (tokens.RefreshToken is not null)
        {
            fields.Add(new("refresh_token", tokens.RefreshToken));
        }

        fields.AddRange(
        [
            new("instance_url", tokens.InstanceUrl), new("id", tokens.Id), new("issued_at", tokens.IssuedAt), new("signature", tokens.Signature),
            new("scope", tokens.Scope), new("token_type", tokens.TokenType),
        ]);
        if (tokens.IdToken is not null)
        {
            fields.Add(new("id_token", tokens.IdToken));
        }

        if (parameters.State is not null)
        {
            fields.Add(new("state", parameters.State));
        }

        Log.ImplicitTokensIssued(services.Logger, parameters.ResponseType!, app.ClientId, grant.User.Id18);
        return TypedResults.Redirect(WithFragment(parameters.RedirectUri!, fields));
    }

    /// <summary><c>token</c> and <c>token id_token</c> (in either order) are the user-agent flow.</summary>
    private static bool IsTokenFlow(string? responseType)
    {
        var types = Scopes.Split(responseType);
        return types.Contains("token", StringComparer.Ordinal) && types.All(t => t is "token" or "id_token");
    }

    private static string WithFragment(string redirectUri, IEnumerable<KeyValuePair<string, string?>> fields) =>
        redirectUri.Split('#')[0] + "#" + string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value ?? "")}"));

    private static ContentHttpResult Html(HttpContext context, string html, int statusCode, string? formTarget)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        // form-action also governs the redirect that follows the post, so the (registered) callback's origin is allowed.
        var callbackOrigin = formTarget is null ? "" : " " + new Uri(formTarget).GetLeftPart(UriPartial.Authority);
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'{callbackOrigin}; frame-ancestors 'none'; base-uri 'none'";
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    private static string FormAction(HttpContext context) => $"{context.Request.PathBase}{EmulatorDefaults.AuthorizePath}";

    private static bool IsCrossSite(HttpRequest request, out string origin)
    {
        origin = request.Headers.Origin.FirstOrDefault() ?? "";
        // Fetch Metadata first: under this page's Referrer-Policy no-referrer, Chromium posts the form with
        // "Origin: null", so only the browser's Sec-Fetch-Site can vouch for a same-origin post.
        if (request.Headers["Sec-Fetch-Site"].FirstOrDefault() is { Length: > 0 } site)
        {
            return !site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !site.Equals("none", StringComparison.OrdinalIgnoreCase);
        }

        return origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record AuthorizeValidation(ConnectedApp? App, string? Scope, OAuthError? PageError, OAuthError? RedirectError);
}

/// <summary>What the login-form handler needs.</summary>
public sealed record AuthorizeServices(
    EmulatorDirectory Directory,
    AuthorizationCodeStore Codes,
    EmulatorUrls Urls,
    TokenIssuer Issuer,
    LoginRateLimit RateLimit,
    LoginSessionStore Sessions,
    ILogger<AuthorizationCodeStore> Logger);
