using AuthService.Flow;
using AuthService.Salesforce;
using AuthService.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AuthService.Apis;

internal static class OAuthApi
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/oauth2");

        api.MapGet("/authorize", Authorize)
            .RequireRateLimiting(OAuthLimits.PolicyName)
            .WithName("Authorize")
            .WithSummary("Starts the web-server flow: redirects to Salesforce with a fresh state and a PKCE challenge.")
            .Produces(StatusCodes.Status302Found)
            .Produces<OAuthError>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/success", Callback)
            .RequireRateLimiting(OAuthLimits.PolicyName)
            .WithName("Callback")
            .WithSummary("The connected app's callback: checks and consumes the state, answers the code.")
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/token", ExchangeCode)
            .RequireRateLimiting(OAuthLimits.PolicyName)
            .WithName("ExchangeCode")
            .WithSummary("Exchanges a code (query or form 'code') for Salesforce tokens.")
            .Accepts<CodeForm>(FormContentType)
            .ProducesTokenAnswers();
        api.MapPost("/login", PasswordLogin)
            .RequireRateLimiting(OAuthLimits.PolicyName)
            .WithName("PasswordLogin")
            .WithSummary("Username-password grant, for testing (form 'username', 'password').")
            .Accepts<PasswordForm>(FormContentType)
            .ProducesTokenAnswers()
            .Produces<OAuthError>(StatusCodes.Status404NotFound);
        api.MapGet("/login", QueryLogin)
            .RequireRateLimiting(OAuthLimits.PolicyName)
            .WithName("QueryLogin")
            .WithSummary("The Node.js demo's query-string login: local mode against the emulator only.")
            .ProducesTokenAnswers()
            .Produces<OAuthError>(StatusCodes.Status405MethodNotAllowed);
        api.MapPost("/refresh", Refresh)
            .RequireRateLimiting(OAuthLimits.PolicyName)
            .WithName("Refresh")
            .WithSummary("Refresh grant (form 'refresh_token'); concurrent refreshes of one token share one Salesforce call.")
            .Accepts<RefreshForm>(FormContentType)
            .ProducesTokenAnswers();
        api.MapPost("/revoke", Revoke)
            .RequireRateLimiting(OAuthLimits.PolicyName)
            .WithName("Revoke")
            .WithSummary("Revokes a token at Salesforce and forgets its cached validation (form 'token').")
            .Accepts<TokenForm>(FormContentType)
            .Produces(StatusCodes.Status200OK)
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/introspect", Introspect)
            .RequireRateLimiting(IntrospectionLimits.PolicyName)
            .AddEndpointFilter<InternalApiKeyFilter>()
            .WithName("Introspect")
            .WithSummary("RFC 7662 token validation for the ResourceService; needs the internal API key.")
            .RequiresInternalApiKey()
            .Accepts<TokenForm>(FormContentType)
            .Produces<IntrospectionResponse>(StatusCodes.Status200OK)
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthError>(StatusCodes.Status429TooManyRequests)
            .Produces<OAuthError>(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    private static async Task<RedirectHttpResult> Authorize(HttpContext context, LoginFlowStore store, StateCookie cookie, IOptions<SalesforceOptions> options)
    {
        var salesforce = options.Value;
        var state = Pkce.NewRandomValue();
        var verifier = Pkce.NewRandomValue();
        await store.SaveStateAsync(state, verifier);
        cookie.Issue(context, state);

        var url = QueryHelpers.AddQueryString($"{salesforce.LoginUrl.ToString().TrimEnd('/')}/services/oauth2/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = salesforce.ClientId,
            ["redirect_uri"] = salesforce.RedirectUri!.ToString(),
            ["scope"] = salesforce.Scope,
            ["state"] = state,
            ["code_challenge"] = Pkce.ChallengeFor(verifier),
            ["code_challenge_method"] = "S256",
        });
        return TypedResults.Redirect(url);
    }

    private static async Task<Results<Ok<CodeResponse>, ContentHttpResult, JsonHttpResult<OAuthError>>> Callback(
        HttpContext context,
        LoginFlowStore store,
        StateCookie cookie,
        IOptions<SalesforceOptions> options,
        string? code,
        string? state,
        string? error,
        [FromQuery(Name = "error_description")] string? errorDescription)
    {
        // The answer carries a code: keep it out of caches and out of any Referer the next page sends.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";

        if (string.IsNullOrEmpty(state))
        {
            return Errors.BadRequest("invalid_request", "The callback has no state; start again at /oauth2/authorize.");
        }

        if (!cookie.Matches(context, state))
        {
            return Errors.BadRequest("invalid_request", "The state does not belong to this browser's login; start again at /oauth2/authorize.");
        }

        cookie.Clear(context);
        if (await store.TakeStateAsync(state) is not { } verifier)
        {
            return Errors.BadRequest("invalid_request", "The state is unknown, expired or already used; start again at /oauth2/authorize.");
        }

        if (error is not null)
        {
            return Errors.BadRequest(Errors.SafeCode(error), $"Salesforce refused the login: {Errors.SafeText(errorDescription ?? error)}");
        }

        if (string.IsNullOrEmpty(code))
        {
            return Errors.BadRequest("invalid_request", "The callback has no code; start again at /oauth2/authorize.");
        }

        // Salesforce's code stays here: the browser gets a one-time handle that only /oauth2/token redeems.
        var handle = await store.IssueHandleAsync(code, verifier);
        if (WelcomeApi.WantsHtml(context.Request))
        {
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            return TypedResults.Content(CallbackPage.Render(handle, options.Value.RedirectUri!), "text/html; charset=utf-8");
        }

        return TypedResults.Ok(new CodeResponse(handle));
    }

    private static async Task<IResult> ExchangeCode(HttpContext context, LoginFlowStore store, SalesforceClient salesforce, TokenFamilies families)
    {
        var handle = await RequestParameters.ReadAsync(context.Request, "code", queryToo: true);
        if (string.IsNullOrEmpty(handle))
        {
            return Errors.BadRequest("invalid_request", "Send the code from /oauth2/success as 'code' (query or form).");
        }

        // Only what our callback answered is redeemable, once: a Salesforce code from a URL or from another flow never reaches Salesforce.
        if (await store.RedeemHandleAsync(handle) is not { } grant)
        {
            context.Response.Headers.CacheControl = "no-store";
            return Errors.BadRequest("invalid_grant",
                "The code is unknown, expired or already used: send the code /oauth2/success answered, once, within 15 minutes, or start again at /oauth2/authorize.");
        }

        return await TokenResultAsync(context, families, await salesforce.ExchangeCodeAsync(grant.Code, grant.CodeVerifier, context.RequestAborted));
    }

    private static async Task<IResult> PasswordLogin(HttpContext context, SalesforceClient salesforce, PasswordSessions sessions, IOptions<SalesforceOptions> options)
    {
        if (!options.Value.PasswordFlowEnabled)
        {
            return Errors.PasswordFlowDisabled();
        }

        var username = await RequestParameters.ReadAsync(context.Request, "username");
        var password = await RequestParameters.ReadAsync(context.Request, "password");
        return await PasswordGrant(context, salesforce, sessions, username, password);
    }

    private static async Task<IResult> QueryLogin(HttpContext context, SalesforceClient salesforce, PasswordSessions sessions, IOptions<SalesforceOptions> options)
    {
        if (!options.Value.QueryLoginAllowed)
        {
            context.Response.Headers.Allow = "POST";
            return Errors.Json(StatusCodes.Status405MethodNotAllowed, "invalid_request",
                "Credentials in a URL end up in logs: POST /oauth2/login with a form body of username and password.");
        }

        var username = await RequestParameters.ReadAsync(context.Request, "username", queryToo: true);
        var password = await RequestParameters.ReadAsync(context.Request, "password", queryToo: true);
        return await PasswordGrant(context, salesforce, sessions, username, password);
    }

    private static async Task<IResult> PasswordGrant(HttpContext context, SalesforceClient salesforce, PasswordSessions sessions, string? username, string? password)
    {
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return Errors.BadRequest("invalid_request", "Send both 'username' and 'password'.");
        }

        var response = await salesforce.PasswordAsync(username, password, context.RequestAborted);
        // Its token is a Session ID that introspection will call inactive: remember that we obtained it, or the
        // token would be refused here; a login whose token this service will not accept is no login.
        if (response.Token is { } token
            && !await sessions.RecordAsync(token["access_token"]!.GetValue<string>(), token["id"]?.GetValue<string>()))
        {
            throw new UpstreamUnavailableException("Redis", "the password-grant token could not be recorded");
        }

        // The password grant never yields a refresh token, so there is no family to record.
        return await TokenResultAsync(context, families: null, response);
    }

    private static async Task<IResult> Refresh(HttpContext context, RefreshCoordinator coordinator, TokenFamilies families)
    {
        var refreshToken = await RequestParameters.ReadAsync(context.Request, "refresh_token");
        if (string.IsNullOrEmpty(refreshToken))
        {
            return Errors.BadRequest("invalid_request", "Send the refresh token as the form field 'refresh_token'.");
        }

        return await TokenResultAsync(context, families, await coordinator.RefreshAsync(refreshToken, context.RequestAborted), refreshedFrom: refreshToken);
    }

    private static async Task<IResult> Revoke(
        HttpContext context, SalesforceClient salesforce, TokenValidator validator, TokenFamilies families, RefreshCoordinator refreshes, AuthMetrics metrics)
    {
        var token = await RequestParameters.ReadAsync(context.Request, "token");
        if (string.IsNullOrEmpty(token))
        {
            return Errors.BadRequest("invalid_request", "Send the token to revoke as the form field 'token'.");
        }

        try
        {
            await salesforce.RevokeAsync(token, context.RequestAborted);
            metrics.Revoked("revoked");
        }
        catch (UpstreamUnavailableException)
        {
            metrics.Revoked("error");
            throw;
        }
        finally
        {
            // Refuse the token here even if Salesforce could not be reached: the caller asked for it dead.
            // Revoking a refresh token revokes its access tokens at Salesforce, so theirs go too.
            await validator.RevokeAsync(token, await families.MembersAsync(token));
            // A refresh answer shared a moment ago must not hand out tokens the caller just asked to kill.
            await refreshes.ForgetAsync(token);
        }

        return TypedResults.Ok();
    }

    private static async Task<IResult> Introspect(HttpContext context, TokenValidator validator)
    {
        context.Response.Headers.CacheControl = "no-store";
        var token = await RequestParameters.ReadAsync(context.Request, "token");
        if (string.IsNullOrEmpty(token))
        {
            return Errors.BadRequest("invalid_request", "Send the token to check as the form field 'token'.");
        }

        var validation = await validator.ValidateAsync(token, context.RequestAborted);
        return TypedResults.Json(IntrospectionResponse.From(validation), AuthJsonContext.Default.IntrospectionResponse);
    }

    private static async Task<IResult> TokenResultAsync(HttpContext context, TokenFamilies? families, TokenResponse response, string? refreshedFrom = null)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (response.Error is { } error)
        {
            return TypedResults.Json(error, AuthJsonContext.Default.OAuthError, statusCode: StatusCodes.Status400BadRequest);
        }

        var token = response.Token!;
        var accessToken = token["access_token"]!.GetValue<string>();
        // Without rotation Salesforce answers no refresh_token, and the one refreshed with stays the family's.
        var refreshToken = token["refresh_token"]?.GetValue<string>() ?? refreshedFrom;
        if (families is not null && refreshToken is not null)
        {
            await families.RecordAsync(refreshToken, accessToken, rotatedFrom: refreshToken == refreshedFrom ? null : refreshedFrom);
        }

        return TypedResults.Json(token, AuthJsonContext.Default.JsonObject);
    }
}

/// <summary>Form bodies, as the OpenAPI document describes them (the handlers read the form themselves).</summary>
internal sealed record CodeForm([property: System.Text.Json.Serialization.JsonPropertyName("code")] string Code);

internal sealed record PasswordForm(
    [property: System.Text.Json.Serialization.JsonPropertyName("username")] string Username,
    [property: System.Text.Json.Serialization.JsonPropertyName("password")] string Password);

internal sealed record RefreshForm([property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string RefreshToken);

internal sealed record TokenForm([property: System.Text.Json.Serialization.JsonPropertyName("token")] string Token);

internal static class TokenAnswerMetadata
{
    /// <summary>Salesforce's token answer passed through (200), its OAuth error (400), or Salesforce unreachable (503).</summary>
    public static RouteHandlerBuilder ProducesTokenAnswers(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK)
        .Produces<OAuthError>(StatusCodes.Status400BadRequest)
        .Produces<OAuthError>(StatusCodes.Status503ServiceUnavailable);
}
