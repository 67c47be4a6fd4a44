using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// Authenticates a caller by its Salesforce token. A thin adapter: it reads the token from the request, hands it
/// to <see cref="SalesforceTokenValidator"/>, and turns the verdict into the framework's result and RFC 6750
/// answers. No token: <c>NoResult</c>, so endpoints that say <c>RequireAuthorization()</c> challenge with 401. An
/// AuthService that cannot answer makes the challenge a 503, never a 200.
/// </summary>
public sealed class SalesforceTokenHandler(
    IOptionsMonitor<SalesforceTokenOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SalesforceTokenValidator validator)
    : AuthenticationHandler<SalesforceTokenOptions>(options, loggerFactory, encoder)
{
    /// <summary>The scheme's events.</summary>
    private new SalesforceTokenEvents Events => (SalesforceTokenEvents)base.Events!;

    /// <inheritdoc/>
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new SalesforceTokenEvents());

    private static readonly Task<AuthenticateResult> NoToken = Task.FromResult(AuthenticateResult.NoResult());

    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var read = BearerTokenReader.Read(Request);
        if (read.Problem is not null)
        {
            return Task.FromResult(AuthenticateResult.Fail(new TokenRejectedException(TokenRejectionKind.InvalidRequest, read.Problem)));
        }

        if (read.Token is null)
        {
            return NoToken;
        }

        var validation = validator.ValidateAsync(read.Token, Context.Connection.RemoteIpAddress, Context.RequestAborted);
        return validation.IsCompletedSuccessfully ? Judge(read, validation.Result) : AwaitAndJudgeAsync(read, validation);
    }

    private async Task<AuthenticateResult> AwaitAndJudgeAsync(TokenRead read, ValueTask<TokenVerdict> validation) =>
        await Judge(read, await validation);

    private Task<AuthenticateResult> Judge(TokenRead read, TokenVerdict verdict) =>
        // A known token: its result was built once, and is served as the same completed task.
        verdict is { Kind: TokenVerdictKind.Confirmed, Caller: { } known } && read.InstanceUrl is null && known.TryGetResult(Scheme.Name, out var cached)
            ? cached
            : JudgeAsync(read, verdict);

    private async Task<AuthenticateResult> JudgeAsync(TokenRead read, TokenVerdict verdict)
    {
        if (verdict.Kind != TokenVerdictKind.Confirmed)
        {
            return AuthenticateResult.Fail(verdict.Kind switch
            {
                TokenVerdictKind.Refused => new TokenRejectedException(TokenRejectionKind.InvalidToken, verdict.Description),
                TokenVerdictKind.Limited => new TokenRejectedException(TokenRejectionKind.TooManyUnknownTokens, verdict.Description, verdict.RetryAfter),
                _ => new TokenRejectedException(TokenRejectionKind.AuthServiceUnavailable, verdict.Description, verdict.RetryAfter),
            });
        }

        var caller = verdict.Caller!;
        // The demo let instanceurl pick the host that checked the token; here it is only compared.
        if (read.InstanceUrl is not null && !SameInstance(read.InstanceUrl, caller.Introspection.InstanceUrl))
        {
            return AuthenticateResult.Fail(new TokenRejectedException(TokenRejectionKind.InvalidToken, "The instanceurl header does not match the token's Salesforce instance."));
        }

        // A cached caller's result was built, and its event run, when the AuthService confirmed it.
        if (caller.TryGetResult(Scheme.Name, out var cached))
        {
            return await cached;
        }

        var validated = new SalesforceTokenValidatedContext(Context, Scheme, Options, caller.Introspection)
        {
            Principal = caller.CreatePrincipal(Scheme.Name),
        };
        await Events.TokenValidated(validated);
        var result = validated.Result ?? AuthenticateResult.Success(new AuthenticationTicket(validated.Principal!, validated.Properties, Scheme.Name));
        caller.Remember(Scheme.Name, result);
        return result;
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var (status, error, description, retryAfter) = Answer(result.Failure);
        var challenge = new SalesforceTokenChallengeContext(Context, Scheme, Options, properties)
        {
            AuthenticateFailure = result.Failure,
            StatusCode = status,
            Error = error,
            ErrorDescription = description,
        };
        await Events.Challenge(challenge);
        if (challenge.Handled)
        {
            return;
        }

        var realm = $"Bearer realm=\"{Options.Realm}\"";
        switch (status)
        {
            case StatusCodes.Status401Unauthorized when result.Failure is null:
                // RFC 6750 §3.1: no error code when the request carried no token at all.
                Response.Headers.WWWAuthenticate = realm;
                break;
            case StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized:
                Response.Headers.WWWAuthenticate = $"{realm}, error=\"{error}\", error_description=\"{description}\"";
                break;
            default:
                Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                break;
        }

        await WriteErrorAsync(status, error, description);
    }

    /// <inheritdoc/>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var required = Context.Items.TryGetValue(ScopeRequirement.RequiredScopeItem, out var noted) ? noted as string : null;
        var forbidden = new SalesforceTokenForbiddenContext(Context, Scheme, Options, properties) { RequiredScopes = required };
        await Events.Forbidden(forbidden);
        if (forbidden.Handled)
        {
            return;
        }

        var scope = required is not null ? $", scope=\"{required}\"" : "";
        Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Options.Realm}\", error=\"insufficient_scope\"{scope}";
        await WriteErrorAsync(StatusCodes.Status403Forbidden, "insufficient_scope", "The token lacks a scope this route needs; log in again asking for it.");
    }

    private static (int Status, string Error, string Description, TimeSpan RetryAfter) Answer(Exception? failure) => failure switch
    {
        null => (StatusCodes.Status401Unauthorized, "unauthorized", "Send a Salesforce access token in the Authorization header: Bearer followed by the token.", TimeSpan.Zero),
        TokenRejectedException { Kind: TokenRejectionKind.InvalidRequest } r => (StatusCodes.Status400BadRequest, "invalid_request", r.Message, TimeSpan.Zero),
        TokenRejectedException { Kind: TokenRejectionKind.InvalidToken } r => (StatusCodes.Status401Unauthorized, "invalid_token", r.Message, TimeSpan.Zero),
        TokenRejectedException { Kind: TokenRejectionKind.TooManyUnknownTokens } r => (StatusCodes.Status429TooManyRequests, "slow_down", r.Message, r.RetryAfter),
        TokenRejectedException { Kind: TokenRejectionKind.AuthServiceUnavailable } r => (StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", r.Message, r.RetryAfter),
        // A refusal by OnTokenValidated: its message is the application's, not for the caller's eyes.
        _ => (StatusCodes.Status401Unauthorized, "invalid_token", "The token is not accepted by this API.", TimeSpan.Zero),
    };

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

    private Task WriteErrorAsync(int status, string error, string description)
    {
        Response.StatusCode = status;
        Response.Headers.CacheControl = "no-store";
        return Response.WriteAsJsonAsync(new OAuthError(error, description), ContractJsonContext.Default.OAuthError, cancellationToken: Context.RequestAborted);
    }
}
