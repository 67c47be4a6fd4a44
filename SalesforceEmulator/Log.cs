namespace SalesforceEmulator;

/// <summary>The emulator's log lines. None of them takes a token, code, secret or password.</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Issued tokens by {GrantType} grant to client {ClientId} for user {UserId} (refresh token: {WithRefreshToken})")]
    public static partial void TokensIssued(ILogger logger, string grantType, string clientId, string userId, bool withRefreshToken);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Token request refused: {Error} ({GrantType})")]
    public static partial void TokenRequestRefused(ILogger logger, string error, string? grantType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Authorization code issued to client {ClientId} for user {UserId}")]
    public static partial void AuthorizationCodeIssued(ILogger logger, string clientId, string userId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Login failed for client {ClientId}")]
    public static partial void LoginFailed(ILogger logger, string clientId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Refresh-token reuse detected for client {ClientId}: the token family was revoked")]
    public static partial void RefreshTokenReuse(ILogger logger, string clientId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Token revoked (known: {Known})")]
    public static partial void TokenRevoked(ILogger logger, bool known);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Test hook: {Count} token(s) expired")]
    public static partial void TokensExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Test hook: fault set (latency {LatencyMs} ms, status {StatusCode}, path {Path}, count {Count})")]
    public static partial void FaultSet(ILogger logger, int latencyMs, int? statusCode, string? path, int? count);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Test hook: faults cleared")]
    public static partial void FaultsCleared(ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Cross-site login form post refused (origin {Origin})")]
    public static partial void CrossSiteLoginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Test hook: logins refused with rate_limit_exceeded (count {Count})")]
    public static partial void RateLimitSet(ILogger logger, int? count);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Test hook: {Kind} {Id} active set to {Active}")]
    public static partial void ActiveFlagSet(ILogger logger, string kind, string id, bool active);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "OpenID Connect logout (session ended: {SessionEnded}, redirected: {Redirected})")]
    public static partial void LoggedOut(ILogger logger, bool sessionEnded, bool redirected);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Dynamic client registration refused: no valid initial access token")]
    public static partial void RegistrationRefused(ILogger logger);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Test hook: JWT access-token signing keys rotated for {Count} org(s) (older keys dropped: {Dropped})")]
    public static partial void JwtKeysRotated(ILogger logger, int count, bool dropped);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Tokens issued by the {ResponseType} response type to client {ClientId} for user {UserId}")]
    public static partial void ImplicitTokensIssued(ILogger logger, string responseType, string clientId, string userId);
}
