using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ResourceService.Tests;

/// <summary>What the fake AuthService can be scripted to answer to <c>POST /oauth2/introspect</c>.</summary>
public static class AuthServiceAnswers
{
    public const string UserId = "005000000000001AAA";
    public const string OrganizationId = "00D000000000001EAA";
    public const string Username = "demo@example.com";
    public const string InstanceUrl = "https://foo.my.salesforce.com";

    /// <summary>Long enough to keep the request open well past any attempt timeout, bounded so no test can hang.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);

    /// <summary>RFC 7662, as the real AuthService answers for a valid token.</summary>
    public static Func<HttpContext, Task> Active(string scope = "api id", string? instanceUrl = InstanceUrl, string tokenType = "access_token", long? expiresAt = null) =>
        Json(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["active"] = true,
            ["sub"] = $"https://login.salesforce.com/id/{OrganizationId}/{UserId}",
            ["user_id"] = UserId,
            ["organization_id"] = OrganizationId,
            ["username"] = Username,
            ["instance_url"] = instanceUrl,
            ["scope"] = scope,
            ["client_id"] = "local-client-id",
            ["token_type"] = tokenType,
            ["exp"] = expiresAt ?? DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }));

    public static Func<HttpContext, Task> Inactive => Json("""{"active":false}""");

    public static Func<HttpContext, Task> Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Bytes(Encoding.UTF8.GetBytes(body), "application/json", status);

    public static Func<HttpContext, Task> Bytes(byte[] body, string contentType, HttpStatusCode status = HttpStatusCode.OK) => async context =>
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    };

    public static Func<HttpContext, Task> Status(HttpStatusCode status) => context =>
    {
        context.Response.StatusCode = (int)status;
        return Task.CompletedTask;
    };

    public static Func<HttpContext, Task> Redirect(Uri location) => context =>
    {
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = location.ToString();
        return Task.CompletedTask;
    };

    /// <summary>No status line until long after the ResourceService's attempt timeout.</summary>
    public static Func<HttpContext, Task> SlowHeaders => async context =>
    {
        await Task.Delay(Stall, context.RequestAborted);
        await Active()(context);
    };

    /// <summary>Headers at once, then a body that never finishes.</summary>
    public static Func<HttpContext, Task> DrippingBody => async context =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.WriteAsync("""{"active":""", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(Stall, context.RequestAborted);
    };

    /// <summary>A 50 MB body, announced by Content-Length or sent chunked.</summary>
    public static Func<HttpContext, Task> Huge(bool announced) => async context =>
    {
        const int total = 50 * 1024 * 1024;
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
        context.Response.ContentType = "application/json";
        if (announced)
        {
            context.Response.ContentLength = total;
        }

        await context.Response.Body.WriteAsync("{"u8.ToArray(), context.RequestAborted);
        for (var written = 1; written + chunk.Length <= total; written += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        }
    };

    /// <summary>The connection dies after the headers and half a body, as when the instance is killed mid-answer.</summary>
    public static Func<HttpContext, Task> AbortMidBody => async context =>
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 200;
        await context.Response.WriteAsync("""{"active":true,""", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    };

    /// <summary>The connection dies before any answer.</summary>
    public static Func<HttpContext, Task> Abort => context =>
    {
        context.Abort();
        return Task.CompletedTask;
    };
}
