using Microsoft.AspNetCore.Authentication;
using SalesforceIdentity.AspNetCore;
using SalesforceIdentity.Contract;
using Yarp.ReverseProxy.Forwarder;

namespace ResourceService.Gateway;

/// <summary>The gateway's steps in YARP's proxy pipeline: who may pass, and what a caller reads when the upstream fails.</summary>
internal static partial class GatewayPipeline
{
    /// <summary>
    /// Defence in depth behind each route's policy: a request that reaches the proxy without an authenticated caller
    /// (a policy that forgot to require one) gets the scheme's 401 and never leaves.
    /// </summary>
    public static void UseAuthenticatedCallersOnly(this IReverseProxyApplicationBuilder proxy) =>
        proxy.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync(SalesforceTokenDefaults.AuthenticationScheme);
                return;
            }

            await next();
        });

    /// <summary>
    /// YARP answers an upstream failure with a bare status (502 unreachable, 504 too slow, 503 no destination);
    /// give it the product's <c>{"error","error_description"}</c> body, unless the upstream's answer had begun.
    /// </summary>
    public static void UseUpstreamErrorAnswers(this IReverseProxyApplicationBuilder proxy) =>
        proxy.Use(async (context, next) =>
        {
            await next();
            var failure = context.GetForwarderErrorFeature();
            if (failure is null || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            var status = Status(context.Response.StatusCode, failure);
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayPipeline));
            LogForwardingFailed(logger, context.GetReverseProxyFeature().Route.Config.RouteId, failure.Error,
                context.Response.HasStarted ? context.Response.StatusCode : status);
            if (context.Response.HasStarted)
            {
                return;
            }

            var (error, description) = status switch
            {
                StatusCodes.Status413PayloadTooLarge => ("invalid_request", "The request body is larger than this route accepts."),
                StatusCodes.Status400BadRequest => ("invalid_request", "The request body could not be read; send it again."),
                StatusCodes.Status503ServiceUnavailable => ("temporarily_unavailable", "No server of the API behind this gateway is available; retry shortly."),
                StatusCodes.Status504GatewayTimeout => ("gateway_timeout", "The API behind this gateway did not answer in time; retry shortly."),
                _ => ("bad_gateway", "The API behind this gateway could not be reached or broke off its answer; retry shortly."),
            };
            context.Response.StatusCode = status;
            if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout)
            {
                context.Response.Headers.RetryAfter = SalesforceTokenDefaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(new OAuthError(error, description), ContractJsonContext.Default.OAuthError, cancellationToken: context.RequestAborted);
        });

    /// <summary>
    /// YARP's status (400 unreadable body, 503 no destination, 504 timeout), except for a body over the route's limit,
    /// which Kestrel reports to YARP as a failed read (413, MaxRequestBodySize, else 30 MB), and anything else: 502.
    /// </summary>
    private static int Status(int status, IForwarderErrorFeature failure) =>
        TooLarge(failure.Exception) ? StatusCodes.Status413PayloadTooLarge
        : status is StatusCodes.Status400BadRequest or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout ? status
        : StatusCodes.Status502BadGateway;

    // Depending on which side noticed first, YARP holds Kestrel's exception itself or HttpClient's wrapping it.
    private static bool TooLarge(Exception? exception) =>
        exception is not null
        && (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || TooLarge(exception.InnerException));

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Gateway route {RouteId}: forwarding failed ({Error}), answered {Status}.")]
    private static partial void LogForwardingFailed(ILogger logger, string routeId, ForwarderError error, int status);
}
