using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary><c>/services/oauth2/authorize</c>: the web-server flow's login form; consent is skipped.</summary>
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

    public static Results<ContentHttpResult, RedirectHttpResult> ShowLogin(HttpContext context, EmulatorDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var parameters = AuthorizeParameters.From(name => NullIfEmpty(query[name].FirstOrDefault()));
        var validation = Validate(parameters, directory);
        if (validation.PageError is { } pageError)
        {
            return Html(context, LoginPage.Error(pageError), StatusCodes.Status400BadRequest, formTarget: null);
        }

        if (validation.RedirectError is { } redirectError)
        {
            return RedirectWithError(parameters, redirectError);
        }

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

        if (!user.Active)
        {
            return RedirectWithError(parameters, OAuthErrors.InactiveUser);
        }

        var grant = new TokenGrant(app.ClientId, user, validation.Scope!, EmulatorUrls.LoginBase(context.Request), services.Urls.InstanceUrl(context.Request, user.Org), parameters.Nonce);
        var code = services.Codes.Issue(grant, parameters.RedirectUri!, parameters.CodeChallenge, parameters.CodeChallenge is null ? null : parameters.CodeChallengeMethod ?? Pkce.Plain);
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

        if (parameters.ResponseType != "code")
        {
            return new(app, null, null, OAuthErrors.UnsupportedResponseType);
        }

        if (parameters.CodeChallenge is not null && !Pkce.IsSupportedMethod(parameters.CodeChallengeMethod))
        {
            return new(app, null, null, OAuthErrors.InvalidCodeChallengeMethod);
        }

        if (app.RequirePkce && parameters.CodeChallenge is null)
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

    private static RedirectHttpResult RedirectWithError(AuthorizeParameters parameters, OAuthError error)
    {
        var query = new Dictionary<string, string?> { ["error"] = error.Error, ["error_description"] = error.ErrorDescription };
        if (parameters.State is not null)
        {
            query["state"] = parameters.State;
        }

        return TypedResults.Redirect(QueryHelpers.AddQueryString(parameters.RedirectUri!, query));
    }

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
        if (string.Equals(request.Headers["Sec-Fetch-Site"].FirstOrDefault(), "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
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
    ILogger<AuthorizationCodeStore> Logger);
