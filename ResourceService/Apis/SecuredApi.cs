using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceIdentity.AspNetCore;

namespace ResourceService.Apis;

internal static class SecuredApi
{
    public static IEndpointRouteBuilder MapSecuredApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Welcome)
            .WithName("Welcome")
            .WithSummary("Public welcome.");

        var secured = app.MapGroup("/secured").RequireAuthorization();
        secured.MapGet("/", Secured)
            .WithName("Secured")
            .WithSummary("A protected resource: any valid Salesforce token of this connected app opens it.");
        secured.MapGet("/me", Me)
            .WithName("Me")
            .WithSummary("The caller's Salesforce identity, as the AuthService confirmed it.");
        secured.MapGet("/api", ApiScoped)
            .RequireAuthorization(ResourceDefaults.ApiScopePolicy)
            .WithName("ApiScoped")
            .WithSummary("A protected resource that also needs the token's api scope: 403 insufficient_scope without it.");

        return app;
    }

    private static ContentHttpResult Welcome() =>
        TypedResults.Text("Welcome to the ResourceService. GET /secured with Authorization: Bearer <Salesforce access token>.\n");

    private static Ok<SecuredResponse> Secured(ClaimsPrincipal user) =>
        TypedResults.Ok(new SecuredResponse("Accessing secured resource", user.FindFirstValue(SalesforceClaimTypes.Username)));

    private static Ok<SecuredResponse> ApiScoped(ClaimsPrincipal user) =>
        TypedResults.Ok(new SecuredResponse("Accessing secured resource with scope api", user.FindFirstValue(SalesforceClaimTypes.Username)));

    private static Ok<Identity> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new Identity(
            user.FindFirstValue(SalesforceClaimTypes.UserId),
            user.FindFirstValue(SalesforceClaimTypes.OrganizationId),
            user.FindFirstValue(SalesforceClaimTypes.Username),
            user.FindFirstValue(SalesforceClaimTypes.InstanceUrl)));

    internal sealed record SecuredResponse(
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("username")] string? Username);

    internal sealed record Identity(
        [property: JsonPropertyName("user_id")] string? UserId,
        [property: JsonPropertyName("organization_id")] string? OrganizationId,
        [property: JsonPropertyName("username")] string? Username,
        [property: JsonPropertyName("instance_url")] string? InstanceUrl);
}

/// <summary>Source-generated JSON for the protected routes' answers: no reflection on the hot path.</summary>
[JsonSerializable(typeof(SecuredApi.SecuredResponse))]
[JsonSerializable(typeof(SecuredApi.Identity))]
internal sealed partial class SecuredJsonContext : JsonSerializerContext;
