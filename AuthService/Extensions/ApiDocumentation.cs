using Microsoft.OpenApi;
using Scalar.AspNetCore;
using SalesforceIdentity.Hosting;

namespace AuthService;

/// <summary>The AuthService describes itself: an OpenAPI document, and Scalar's reference page in local runs.</summary>
internal static class ApiDocumentation
{
    public const string ApiKeyScheme = "InternalApiKey";

    public static void AddApiDocumentation(this IHostApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "AuthService",
                Version = "v1",
                Description = "Salesforce as the identity provider for your API: the OAuth 2.0 flows with Salesforce, and token validation for other services.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = AuthDefaults.ApiKeyHeader,
                Description = "The INTERNAL_API_KEY shared with the ResourceService.",
            };
            return Task.CompletedTask;
        }));

    /// <summary>Requires the internal API key on one operation, in the document.</summary>
    public static RouteHandlerBuilder RequiresInternalApiKey(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
            return Task.CompletedTask;
        });

    /// <summary><c>/openapi/v1.json</c> always (clients generate from it); the Scalar page only in development or local mode.</summary>
    public static void MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment() || DotEnv.IsLocal(app.Configuration))
        {
            app.MapScalarApiReference();
        }
    }
}
