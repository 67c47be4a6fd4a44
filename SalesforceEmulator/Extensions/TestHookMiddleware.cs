using SalesforceEmulator.State;

namespace SalesforceEmulator;

/// <summary>Records every protocol request for <c>GET /_emulator/requests</c>, then applies any injected fault.</summary>
public sealed class TestHookMiddleware(RequestDelegate next, RequestLog log, FaultStore faults, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        if (path.StartsWithSegments(EmulatorDefaults.TestHooksPrefix)
            || path.StartsWithSegments(EmulatorDefaults.HealthPath)
            || path.StartsWithSegments(EmulatorDefaults.AlivePath))
        {
            await next(context);
            return;
        }

        // Only the path is recorded: a query string can carry a token (?oauth_token=).
        var pathValue = path.Value ?? "/";
        var grantType = path.StartsWithSegments(EmulatorDefaults.TokenPath) ? await ReadGrantTypeAsync(context.Request) : null;
        log.Add(new RecordedRequest(context.Request.Method, pathValue, grantType, time.GetUtcNow()));

        if (faults.Take(pathValue) is { } fault)
        {
            if (fault.LatencyMs > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), time, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The caller gave up during the injected latency (a client timeout under test): nothing left to answer.
                    return;
                }
            }

            if (fault.StatusCode is { } status)
            {
                context.Response.StatusCode = status;
                var retryAfter = fault.RetryAfterSeconds ?? (status == StatusCodes.Status429TooManyRequests ? EmulatorDefaults.DefaultRetryAfterSeconds : null);
                if (retryAfter is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"Emulator fault: HTTP {status}", context.RequestAborted);
                return;
            }
        }

        await next(context);
    }

    private static async Task<string?> ReadGrantTypeAsync(HttpRequest request)
    {
        string? grantType = null;
        if (request.HasFormContentType)
        {
            try
            {
                // The form is cached on the request, so the endpoint reads it again for free.
                grantType = (await request.ReadFormAsync(request.HttpContext.RequestAborted))["grant_type"].FirstOrDefault();
            }
            catch (InvalidDataException)
            {
                grantType = null;
            }
        }

        grantType = string.IsNullOrEmpty(grantType) ? request.Query["grant_type"].FirstOrDefault() : grantType;
        return string.IsNullOrEmpty(grantType) ? null : grantType[..Math.Min(grantType.Length, 100)];
    }
}
