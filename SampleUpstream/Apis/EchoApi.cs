using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceIdentity.Contract;

namespace SampleUpstream.Apis;

/// <summary>
/// An API that cannot take the package: it trusts the gateway in front of it and only reads the identity headers the
/// gateway writes. It answers what it received, so that a curl through the gateway shows what crossed the hop.
/// </summary>
internal static class EchoApi
{
    private static long s_echoed;

    public static IEndpointRouteBuilder MapEchoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/requests", () => TypedResults.Ok(new RequestCount(Interlocked.Read(ref s_echoed))))
            .WithName("RequestCount");
        app.Map("/{**path}", EchoAsync)
            .WithName("Echo");
        return app;
    }

    private static async Task<Ok<Echo>> EchoAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_echoed);
        var headers = request.Headers;
        return TypedResults.Ok(new Echo(
            "Hello from the sample upstream: it knows nothing of Salesforce, and reads who you are from the gateway's headers.",
            request.Method,
            request.Path,
            request.QueryString.Value,
            new Caller(headers[GatewayHeaders.UserId], headers[GatewayHeaders.OrgId], headers[GatewayHeaders.Username], headers[GatewayHeaders.Scopes]),
            headers.Authorization.Count > 0,
            new Forwarded(headers["X-Forwarded-For"], headers["X-Forwarded-Proto"], headers["X-Forwarded-Host"]),
            new Trace(headers["traceparent"], Activity.Current?.TraceId.ToString()),
            await CountAsync(request.Body, cancellationToken)));
    }

    // Counted as it streams in: the sample holds no body in memory.
    private static async Task<long> CountAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }

    internal sealed record Echo(
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("method")] string Method,
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("query")] string? Query,
        [property: JsonPropertyName("salesforce")] Caller Salesforce,
        [property: JsonPropertyName("authorization_forwarded")] bool AuthorizationForwarded,
        [property: JsonPropertyName("forwarded")] Forwarded Forwarded,
        [property: JsonPropertyName("trace")] Trace Trace,
        [property: JsonPropertyName("body_bytes")] long BodyBytes);

    internal sealed record Caller(
        [property: JsonPropertyName("user_id")] string? UserId,
        [property: JsonPropertyName("org_id")] string? OrgId,
        [property: JsonPropertyName("username")] string? Username,
        [property: JsonPropertyName("scopes")] string? Scopes);

    internal sealed record Forwarded(
        [property: JsonPropertyName("for")] string? For,
        [property: JsonPropertyName("proto")] string? Proto,
        [property: JsonPropertyName("host")] string? Host);

    internal sealed record Trace(
        [property: JsonPropertyName("traceparent")] string? TraceParent,
        [property: JsonPropertyName("trace_id")] string? TraceId);

    internal sealed record RequestCount([property: JsonPropertyName("count")] long Count);
}

/// <summary>Source-generated JSON for the sample's answers.</summary>
[JsonSerializable(typeof(EchoApi.Echo))]
[JsonSerializable(typeof(EchoApi.RequestCount))]
internal sealed partial class EchoJsonContext : JsonSerializerContext;
