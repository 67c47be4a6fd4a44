using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using ResourceService.Apis;
using SalesforceIdentity.AspNetCore;

namespace ResourceService;

internal static class Extensions
{
    /// <summary>Salesforce token authentication (the SalesforceIdentity.AspNetCore package), the scope policy, the API description.</summary>
    public static void AddResourceService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(SalesforceTokenDefaults.AuthenticationScheme).AddSalesforceToken();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ResourceDefaults.ApiScopePolicy, policy => policy.RequireScope(ResourceDefaults.ApiScope));

        // Authentication brings Data Protection, whose default key ring lives in ~/.aspnet. This service protects
        // nothing (no cookies), so its keys stay in memory: a Heroku dyno's disk stays untouched.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.AddApiDocumentation();
        // The protected routes' answers through source-generated JSON: no reflection on the hot path.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SecuredJsonContext.Default));
    }
}
