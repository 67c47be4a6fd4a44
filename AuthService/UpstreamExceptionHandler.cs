using AuthService.Apis;
using AuthService.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;

namespace AuthService;

/// <summary>
/// Turns an upstream fault into 503 with <c>Retry-After</c>, a spent Salesforce budget into 429, an unreadable body
/// into 400, and anything unexpected into a bare 500 body.
/// </summary>
internal sealed partial class UpstreamExceptionHandler(ILogger<UpstreamExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is UpstreamUnavailableException upstream)
        {
            // The message names the upstream and the fault kind only; it never holds a token or secret.
            LogUpstreamUnavailable(logger, upstream.Message);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = "5";
            await httpContext.Response.WriteAsJsonAsync(
                new OAuthError("temporarily_unavailable", $"{upstream.Upstream} could not be reached; try again in a few seconds."),
                AuthJsonContext.Default.OAuthError,
                cancellationToken: cancellationToken);
            return true;
        }

        if (exception is SalesforceBudgetExceededException budget)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling(budget.RetryAfter.TotalSeconds));
            httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await httpContext.Response.WriteAsJsonAsync(
                new OAuthError("slow_down", $"Too many new tokens need Salesforce at once; retry after {retryAfter} s."),
                AuthJsonContext.Default.OAuthError,
                cancellationToken: cancellationToken);
            return true;
        }

        if (exception is BadHttpRequestException or InvalidDataException)
        {
            // A body the server cannot read (too large, malformed form): the caller's fault, said as such.
            httpContext.Response.StatusCode = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            await httpContext.Response.WriteAsJsonAsync(
                new OAuthError("invalid_request", "The request body could not be read; send a form body (application/x-www-form-urlencoded) within the size limits."),
                AuthJsonContext.Default.OAuthError,
                cancellationToken: cancellationToken);
            return true;
        }

        LogUnexpected(logger, exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await httpContext.Response.WriteAsJsonAsync(
            new OAuthError("server_error", "The AuthService failed unexpectedly; try again, and report it if it persists."),
            AuthJsonContext.Default.OAuthError,
            cancellationToken: cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503: {Reason}")]
    private static partial void LogUpstreamUnavailable(ILogger logger, string reason);

    // Only the type: exception messages from lower layers may quote request data.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} answered as 500")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType);
}
