using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Refit;
using ResourceService.AuthServiceClient;
using ResourceService.Caching;

namespace ResourceService.Authentication;

/// <summary>
/// Authenticates a caller by asking the AuthService whether its Salesforce token is valid. No token:
/// <c>NoResult</c>, so endpoints that say <c>RequireAuthorization()</c> challenge with 401. The challenge
/// follows RFC 6750 §3, and an AuthService that cannot answer makes it a 503, never a 200.
/// </summary>
public sealed partial class SalesforceTokenHandler(
    IOptionsMonitor<SalesforceTokenOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    LocalValidationCache localCache)
    : AuthenticationHandler<SalesforceTokenOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var read = BearerTokenReader.Read(Request);
        if (read.Problem is not null)
        {
            return AuthenticateResult.Fail(new TokenRejectedException(TokenRejectionKind.InvalidRequest, read.Problem));
        }

        if (read.Token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var key = LocalValidationCache.KeyFor(read.Token);
        if (!localCache.TryGet(key, out var caller))
        {
            var epoch = localCache.Epoch;
            var introspection = await IntrospectAsync(read.Token);
            if (introspection.Rejection is { } rejection)
            {
                return AuthenticateResult.Fail(rejection);
            }

            var confirmed = introspection.Result!;
            caller = new ConfirmedCaller(confirmed, new ClaimsIdentity(Claims(confirmed), Scheme.Name, SalesforceClaimTypes.Username, ClaimTypes.Role));
            localCache.Set(key, caller, epoch);
        }

        // The demo let instanceurl pick the host that checked the token; here it is only compared.
        if (read.InstanceUrl is not null && !SameInstance(read.InstanceUrl, caller.Result.InstanceUrl))
        {
            return AuthenticateResult.Fail(new TokenRejectedException(TokenRejectionKind.InvalidToken, "The instanceurl header does not match the token's Salesforce instance."));
        }

        var principal = new ClaimsPrincipal(caller.Identity);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var rejection = result.Failure as TokenRejectedException;
        var realm = $"Bearer realm=\"{Options.Realm}\"";

        switch (rejection?.Kind)
        {
            case null:
                // RFC 6750 §3.1: no error code when the request carried no token at all.
                Response.Headers.WWWAuthenticate = realm;
                await WriteErrorAsync(HttpStatusCode.Unauthorized, "unauthorized", "Send a Salesforce access token in the Authorization header: Bearer followed by the token.");
                break;
            case TokenRejectionKind.InvalidRequest:
                Response.Headers.WWWAuthenticate = $"{realm}, error=\"invalid_request\", error_description=\"{rejection.Message}\"";
                await WriteErrorAsync(HttpStatusCode.BadRequest, "invalid_request", rejection.Message);
                break;
            case TokenRejectionKind.InvalidToken:
                Response.Headers.WWWAuthenticate = $"{realm}, error=\"invalid_token\", error_description=\"{rejection.Message}\"";
                await WriteErrorAsync(HttpStatusCode.Unauthorized, "invalid_token", rejection.Message);
                break;
            case TokenRejectionKind.AuthServiceUnavailable:
                Response.Headers.RetryAfter = ResourceDefaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteErrorAsync(HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", rejection.Message);
                break;
        }
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        // The scopes come from the route's policy (validated scope-tokens), never from the request.
        var scope = properties.Items.TryGetValue(ResourceDefaults.RequiredScopeItem, out var required) && required is not null
            ? $", scope=\"{required}\""
            : "";
        Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Options.Realm}\", error=\"insufficient_scope\"{scope}";
        await WriteErrorAsync(HttpStatusCode.Forbidden, "insufficient_scope", "The token lacks a scope this route needs; log in again asking for it.");
    }

    private async Task<(IntrospectionResult? Result, TokenRejectedException? Rejection)> IntrospectAsync(string token)
    {
        IApiResponse<IntrospectionResult>? response = null;
        try
        {
            // Resolved only on a miss: a cached token costs no client creation.
            var authService = Context.RequestServices.GetRequiredService<IAuthServiceApi>();
            response = await authService.IntrospectAsync(new IntrospectionRequest { Token = token }, Context.RequestAborted);
            return Judge(response);
        }
        // Fail closed on whatever the hop throws (refused, reset, timeout, open breaker, oversized or
        // undecodable answer): the caller gets a 503, never a 200 and never an unhandled 500.
#pragma warning disable CA1031
        catch (Exception ex) when (!Context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogAuthServiceUnavailable(Logger, ex.GetType().Name);
            return (null, Unavailable());
        }
        finally
        {
            response?.Dispose();
        }
    }

    private (IntrospectionResult? Result, TokenRejectedException? Rejection) Judge(IApiResponse<IntrospectionResult> response)
    {
        if (response.StatusCode != HttpStatusCode.OK || response.Error is not null || response.Content is not { Active: { } active } content)
        {
            // A 401 means our own API key was refused: a configuration fault, not the caller's.
            LogAuthServiceUnavailable(Logger, response.Error is { } error ? $"status {(int?)response.StatusCode}, {error.GetType().Name}" : $"status {(int?)response.StatusCode}");
            return (null, Unavailable());
        }

        if (!active)
        {
            return (null, new TokenRejectedException(TokenRejectionKind.InvalidToken, "The token is not valid here: expired, revoked, or issued for another app or org."));
        }

        if (content.UserId is null || content.OrganizationId is null)
        {
            LogAuthServiceUnavailable(Logger, "an active answer without user_id or organization_id");
            return (null, Unavailable());
        }

        // The AuthService checks both; checked again so a mistake there cannot let a refresh or expired token in.
        if ((content.TokenType is not null && content.TokenType != "access_token")
            || (content.ExpiresAt is { } expiresAt && expiresAt <= TimeProvider.GetUtcNow().ToUnixTimeSeconds()))
        {
            return (null, new TokenRejectedException(TokenRejectionKind.InvalidToken, "The token is not an unexpired access token."));
        }

        return (content, null);
    }

    private static TokenRejectedException Unavailable() =>
        new(TokenRejectionKind.AuthServiceUnavailable, "The AuthService could not check the token; try again in a few seconds.");

    /// <summary>The claimed URL must be exactly the token's instance: an origin with nothing before, after or inside it.</summary>
    private static bool SameInstance(string claimed, string? actual) =>
        actual is not null
        && Uri.TryCreate(claimed, UriKind.Absolute, out var claimedUrl)
        && Uri.TryCreate(actual, UriKind.Absolute, out var actualUrl)
        && claimedUrl.Scheme is "https" or "http"
        && claimedUrl.Scheme == actualUrl.Scheme
        && string.Equals(claimedUrl.IdnHost, actualUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
        && claimedUrl.Port == actualUrl.Port
        && claimedUrl.AbsolutePath == "/"
        && claimedUrl.Query.Length == 0
        && claimedUrl.Fragment.Length == 0
        && claimedUrl.UserInfo.Length == 0;

    private static IEnumerable<Claim> Claims(IntrospectionResult result)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, result.UserId!);
        yield return new Claim(SalesforceClaimTypes.UserId, result.UserId!);
        yield return new Claim(SalesforceClaimTypes.OrganizationId, result.OrganizationId!);
        if (result.Username is not null)
        {
            yield return new Claim(SalesforceClaimTypes.Username, result.Username);
        }

        if (result.InstanceUrl is not null)
        {
            yield return new Claim(SalesforceClaimTypes.InstanceUrl, result.InstanceUrl);
        }

        foreach (var scope in (result.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return new Claim(SalesforceClaimTypes.Scope, scope);
        }
    }

    private Task WriteErrorAsync(HttpStatusCode status, string error, string description)
    {
        Response.StatusCode = (int)status;
        Response.Headers.CacheControl = "no-store";
        return Response.WriteAsJsonAsync(new ErrorBody(error, description), ErrorJsonContext.Default.ErrorBody, cancellationToken: Context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AuthService could not validate a token: {Reason}")]
    private static partial void LogAuthServiceUnavailable(ILogger logger, string reason);
}

internal sealed record ErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
