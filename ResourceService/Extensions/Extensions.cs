using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
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

        // Data Protection's keys in memory (authentication brings it, this service protects nothing with it).
        builder.Services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new InMemoryKeyRing();
            // Nothing to encrypt at rest: the keys never leave this process's memory.
            options.XmlEncryptor = new NullXmlEncryptor();
        });
        builder.AddApiDocumentation();
        // The protected routes' answers through source-generated JSON: no reflection on the hot path.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SecuredJsonContext.Default));
    }
}
