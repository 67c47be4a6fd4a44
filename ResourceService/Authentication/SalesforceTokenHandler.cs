using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;
using ResourceService.AuthServiceClient;

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
    IAuthServiceApi authService)
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

        var introspection = await IntrospectAsync(read.Token);
        if (introspection.Rejection is { } rejection)
        {
            return AuthenticateResult.Fail(rejection);
        }

        var result = introspection.Result!;
        // The demo let instanceurl pick the host that checked the token; here it is only compared.
        if (read.InstanceUrl is not null && !SameInstance(read.InstanceUrl, result.InstanceUrl))
        {
            return AuthenticateResult.Fail(new TokenRejectedException(TokenRejectionKind.InvalidToken, "The instanceurl header does not match the token's Salesforce instance."));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(Claims(result), Scheme.Name, SalesforceClaimTypes.Username, ClaimTypes.Role));
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
                await WriteErrorAsync(HttpStatusCode.Unauthorized, "unauthorized", "Send a Salesforce access token: Authorization: Bearer <token>.");
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
                Response.Headers.RetryAfter = "5";
                await WriteErrorAsync(HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", rejection.Message);
                break;
        }
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Options.Realm}\", error=\"insufficient_scope\"";
        await WriteErrorAsync(HttpStatusCode.Forbidden, "insufficient_scope", "The token lacks a scope this route needs; log in again asking for it.");
    }

    private async Task<(IntrospectionResult? Result, TokenRejectedException? Rejection)> IntrospectAsync(string token)
    {
        IApiResponse<IntrospectionResult> response;
        try
        {
            response = await authService.IntrospectAsync(new IntrospectionRequest { Token = token }, Context.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or JsonException or TimeoutRejectedException or BrokenCircuitException
            || (ex is OperationCanceledException && !Context.RequestAborted.IsCancellationRequested))
        {
            LogAuthServiceUnavailable(Logger, ex.GetType().Name);
            return (null, Unavailable());
        }

        if (response.StatusCode == HttpStatusCode.OK && response.Error is null && response.Content is { Active: { } active } content)
        {
            if (!active)
            {
                return (null, new TokenRejectedException(TokenRejectionKind.InvalidToken, "The token is not valid here: expired, revoked, or issued for another app or org."));
            }

            if (content.UserId is not null && content.OrganizationId is not null)
            {
                return (content, null);
            }
        }

        // A 401 means our own API key was refused: a configuration fault, not the caller's.
        LogAuthServiceUnavailable(Logger, $"status {(int?)response.StatusCode}");
        return (null, Unavailable());
    }

    private static TokenRejectedException Unavailable() =>
        new(TokenRejectionKind.AuthServiceUnavailable, "The AuthService could not check the token; try again in a few seconds.");

    private static bool SameInstance(string claimed, string? actual) =>
        actual is not null
        && Uri.TryCreate(claimed, UriKind.Absolute, out var claimedUrl)
        && Uri.TryCreate(actual, UriKind.Absolute, out var actualUrl)
        && claimedUrl.Scheme == actualUrl.Scheme
        && string.Equals(claimedUrl.IdnHost, actualUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
        && claimedUrl.Port == actualUrl.Port
        && claimedUrl.AbsolutePath.TrimEnd('/').Length == 0
        && string.IsNullOrEmpty(claimedUrl.UserInfo);

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
