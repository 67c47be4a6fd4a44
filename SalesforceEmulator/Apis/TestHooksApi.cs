using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary>The <c>/_emulator</c> test hooks: not part of Salesforce. Off with <c>Emulator:TestHooks=false</c>.</summary>
public static class TestHooksApi
{
    public const int MaxLatencyMs = 600_000;
    public const int MaxRetryAfterSeconds = 86_400;

    public static IEndpointRouteBuilder MapTestHooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(EmulatorDefaults.TestHooksPrefix).DisableAntiforgery();
        api.MapGet("/requests", GetRequests).WithName("GetRecordedRequests").WithSummary("Every protocol request received, oldest first");
        api.MapDelete("/requests", ClearRequests).WithName("ClearRecordedRequests").WithSummary("Forgets the recorded requests");
        api.MapPost("/tokens/expire", ExpireTokens).WithName("ExpireTokens").WithSummary("Makes one user's (or everyone's) access tokens expire now");
        api.MapGet("/faults", GetFault).WithName("GetFault").WithSummary("The fault being injected, if any");
        api.MapPost("/faults", SetFault).WithName("SetFault").WithSummary("Delays and/or fails protocol requests");
        api.MapDelete("/faults", ClearFault).WithName("ClearFault").WithSummary("Stops injecting faults");
        api.MapPost("/rate-limit", SetRateLimit).WithName("SetRateLimit").WithSummary("Refuses logins and token requests with rate_limit_exceeded");
        api.MapDelete("/rate-limit", ClearRateLimit).WithName("ClearRateLimit").WithSummary("Stops refusing logins");
        api.MapPost("/users/active", SetUserActive).WithName("SetUserActive").WithSummary("Deactivates or reactivates a user (inactive_user)");
        api.MapPost("/orgs/active", SetOrgActive).WithName("SetOrgActive").WithSummary("Locks or unlocks an org (inactive_org)");
        api.MapPost("/jwt-keys/rotate", RotateKeys).WithName("RotateJwtKeys").WithSummary("New signing keys for JWT-based access tokens; the old ones stay published unless dropPrevious");
        api.MapPost("/reset", Reset).WithName("Reset").WithSummary("Forgets all tokens, codes, login sessions, recorded requests, faults and rate limits; restores active flags");
        return app;
    }

    public static Ok<IReadOnlyList<RecordedRequest>> GetRequests(RequestLog log, string? path)
    {
        ArgumentNullException.ThrowIfNull(log);
        var requests = log.Snapshot();
        return TypedResults.Ok<IReadOnlyList<RecordedRequest>>(
            path is null ? requests : [.. requests.Where(r => r.Path.StartsWith(path, StringComparison.OrdinalIgnoreCase))]);
    }

    public static NoContent ClearRequests(RequestLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Clear();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ExpireResult>, NotFound<OAuthError>>> ExpireTokens(
        HttpContext context, EmulatorDirectory directory, TokenStore tokens, ILogger<TokenStore> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(tokens);
        var request = await OAuthRequest.ReadAsync(context.Request, cancellationToken);
        var username = request?["username"];
        User? user = null;
        if (username is not null && (user = directory.FindUserByUsername(username)) is null)
        {
            return TypedResults.NotFound(new OAuthError("unknown_user", "no such username"));
        }

        var count = tokens.Expire(user, includeRefreshTokens: string.Equals(request?["includeRefreshTokens"], "true", StringComparison.OrdinalIgnoreCase));
        Log.TokensExpired(logger, count);
        return TypedResults.Ok(new ExpireResult(count));
    }

    public static Results<Ok<Fault>, NoContent> GetFault(FaultStore faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        return faults.Current is { } fault ? TypedResults.Ok(fault) : TypedResults.NoContent();
    }

    public static Results<Ok<Fault>, ValidationProblem> SetFault(FaultRequest request, FaultStore faults, ILogger<FaultStore> logger)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(faults);
        var errors = new Dictionary<string, string[]>();
        if (request.LatencyMs is < 0 or > MaxLatencyMs)
        {
            errors["latencyMs"] = [$"latencyMs must be between 0 and {MaxLatencyMs}."];
        }

        if (request.StatusCode is < 100 or > 599)
        {
            errors["statusCode"] = ["statusCode must be an HTTP status code (100-599) or null."];
        }

        if (request.Count is < 1)
        {
            errors["count"] = ["count must be at least 1, or null for every request."];
        }

        if (request.Path is { Length: > 0 } path && path[0] != '/')
        {
            errors["path"] = ["path must start with '/'."];
        }

        if (request.RetryAfterSeconds is < 0 or > MaxRetryAfterSeconds)
        {
            errors["retryAfterSeconds"] = [$"retryAfterSeconds must be between 0 and {MaxRetryAfterSeconds}, or null."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var fault = new Fault(request.LatencyMs, request.StatusCode, string.IsNullOrEmpty(request.Path) ? null : request.Path, request.Count, request.RetryAfterSeconds);
        faults.Set(fault);
        Log.FaultSet(logger, fault.LatencyMs, fault.StatusCode, fault.Path, fault.Count);
        return TypedResults.Ok(fault);
    }

    public static NoContent ClearFault(FaultStore faults, ILogger<FaultStore> logger)
    {
        ArgumentNullException.ThrowIfNull(faults);
        faults.Clear();
        Log.FaultsCleared(logger);
        return TypedResults.NoContent();
    }

    public static Results<Ok<RateLimitRequest>, ValidationProblem> SetRateLimit(RateLimitRequest request, LoginRateLimit limit, ILogger<LoginRateLimit> logger)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limit);
        if (request.Count is < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["count"] = ["count must be at least 1, or null for every login."] });
        }

        limit.Set(request.Count);
        Log.RateLimitSet(logger, request.Count);
        return TypedResults.Ok(request);
    }

    public static NoContent ClearRateLimit(LoginRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        limit.Clear();
        return TypedResults.NoContent();
    }

    public static Results<NoContent, NotFound<OAuthError>> SetUserActive(ActiveFlagRequest request, EmulatorDirectory directory, ILogger<EmulatorDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.FindUserByUsername(request.Username) is not { } user)
        {
            return TypedResults.NotFound(new OAuthError("unknown_user", "no such username"));
        }

        user.Active = request.Active;
        Log.ActiveFlagSet(logger, "user", user.Id18, request.Active);
        return TypedResults.NoContent();
    }

    public static Results<NoContent, NotFound<OAuthError>> SetOrgActive(ActiveFlagRequest request, EmulatorDirectory directory, ILogger<EmulatorDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.FindOrg(request.OrgId) is not { } org)
        {
            return TypedResults.NotFound(new OAuthError("unknown_org", "no such org id"));
        }

        org.Active = request.Active;
        Log.ActiveFlagSet(logger, "org", org.Id18, request.Active);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A new key for one org (<c>orgId</c>) or every org; tokens signed from now on carry its <c>kid</c>. Older keys stay
    /// published for tokens still live, unless <c>dropPrevious</c> (a validator then meets an unknown <c>kid</c>).
    /// </summary>
    public static Results<Ok<IReadOnlyList<RotatedKey>>, NotFound<OAuthError>> RotateKeys(
        RotateKeysRequest? request, EmulatorDirectory directory, AccessTokenKeys keys, ILogger<AccessTokenKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(keys);
        IEnumerable<Org> orgs = directory.Orgs;
        if (request?.OrgId is { } orgId)
        {
            if (directory.FindOrg(orgId) is not { } org)
            {
                return TypedResults.NotFound(new OAuthError("unknown_org", "no such org id"));
            }

            orgs = [org];
        }

        var dropPrevious = request?.DropPrevious ?? false;
        IReadOnlyList<RotatedKey> rotated = [.. orgs.Select(org => new RotatedKey(org.Id18, keys.Rotate(org, dropPrevious).Kid))];
        Log.JwtKeysRotated(logger, rotated.Count, dropPrevious);
        return TypedResults.Ok(rotated);
    }

    public static NoContent Reset([AsParameters] ResetServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Tokens.Clear();
        services.Codes.Clear();
        services.Log.Clear();
        services.Faults.Clear();
        services.RateLimit.Clear();
        services.Sessions.Clear();
        services.Directory.ResetActiveFlags();
        return TypedResults.NoContent();
    }
}

/// <summary>Everything <c>POST /_emulator/reset</c> puts back as it was at start.</summary>
public sealed record ResetServices(
    TokenStore Tokens,
    AuthorizationCodeStore Codes,
    RequestLog Log,
    FaultStore Faults,
    LoginRateLimit RateLimit,
    LoginSessionStore Sessions,
    EmulatorDirectory Directory);
