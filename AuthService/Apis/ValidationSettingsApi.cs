using Microsoft.Extensions.Options;

namespace AuthService.Apis;

internal static class ValidationSettingsApi
{
    /// <summary>
    /// <c>GET /oauth2/validation-settings</c>: what an API holding the internal API key needs to check JWT-based access
    /// tokens itself (client id, My Domains, allowed orgs), so that it is configured here only (issue 16).
    /// </summary>
    public static IEndpointRouteBuilder MapValidationSettingsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(InternalApi.ValidationSettingsPath, GetSettings)
            .RequireRateLimiting(IntrospectionLimits.PolicyName)
            .AddEndpointFilter<InternalApiKeyFilter>()
            .WithName("ValidationSettings")
            .WithSummary("What an API needs to validate JWT-based access tokens locally; needs the internal API key.")
            .RequiresInternalApiKey()
            .Produces<ValidationSettings>(StatusCodes.Status200OK)
            .Produces<OAuthError>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthError>(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ValidationSettings> GetSettings(HttpContext context, IOptions<SalesforceOptions> options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var salesforce = options.Value;
        return TypedResults.Json(
            new ValidationSettings(salesforce.ClientId, salesforce.Issuers, [.. salesforce.AllowedOrgs.Order(StringComparer.Ordinal)]),
            AuthJsonContext.Default.ValidationSettings);
    }
}
