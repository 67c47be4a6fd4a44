using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using SalesforceIdentity.Hosting;

namespace ResourceService;

/// <summary>The ResourceService describes itself: an OpenAPI document, and Scalar's reference page in local runs.</summary>
internal static class ApiDocumentation
{
    public const string BearerScheme = "Bearer";
    public const string ErrorSchema = "OAuthError";

    public static void AddApiDocumentation(this IHostApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ResourceService",
                    Version = "v1",
                    Description = "Routes protected by Salesforce: send a Salesforce access token from the AuthService as Authorization: Bearer <token>.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A Salesforce access token of this connected app, from the AuthService's /oauth2/token or /oauth2/login. The Node.js demo's 'bearer: <token>' header works too.",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ErrorSchema] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "What went wrong and what to do, in one sentence.",
                    Required = new HashSet<string> { "error", "error_description" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An RFC 6750 error code." },
                        ["error_description"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                };
                return Task.CompletedTask;
            });
            // The authentication handler writes the error answers, not the endpoints: describe them from the
            // endpoint's authorization metadata, so a new protected route gets them without repeating them.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var authorize = metadata.OfType<IAuthorizeData>().ToList();
                if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
                {
                    return Task.CompletedTask;
                }

                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                operation.Responses ??= new OpenApiResponses();
                var responses = operation.Responses;
                responses["400"] = Error(context.Document, "A malformed request (two tokens, a token in the URL, a non-Bearer scheme, an oversized token); fix the request.",
                    "invalid_request", "Send exactly one token, in the Authorization header.", challenge: true);
                responses["401"] = Error(context.Document, "No token, or a token Salesforce does not accept (expired, revoked, another app's); log in again.",
                    "invalid_token", "The access token is expired, revoked or not valid for this API; log in again.", challenge: true);
                if (authorize.Any(a => a.Policy == ResourceDefaults.ApiScopePolicy))
                {
                    responses["403"] = Error(context.Document, "The token lacks the api scope this route needs.",
                        "insufficient_scope", "The token lacks a scope this route needs; log in again asking for it.", challenge: true);
                }

                var unavailable = Error(context.Document, "The AuthService could not say whether the token is valid; retry after Retry-After seconds.",
                    "temporarily_unavailable", "The token cannot be checked right now; retry shortly.", challenge: false);
                unavailable.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                };
                responses["503"] = unavailable;
                return Task.CompletedTask;
            });
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

    private static OpenApiResponse Error(OpenApiDocument? document, string description, string error, string errorDescription, bool challenge)
    {
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchemaReference(ErrorSchema, document),
                    Example = new JsonObject { ["error"] = error, ["error_description"] = errorDescription },
                },
            },
        };
        if (challenge)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = new OpenApiHeader
                {
                    Description = "The RFC 6750 challenge: Bearer realm=\"ResourceService\", with error (and scope for a 403) when a token was sent.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            };
        }

        return response;
    }
}
