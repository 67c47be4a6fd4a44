using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace ResourceService.Gateway;

/// <summary>
/// Gateway mode (issue 17): YARP's standard <c>ReverseProxy</c> section turns the ResourceService into a reverse proxy
/// for an API that cannot take the package. Every route needs a valid token through the same scheme as
/// <c>/secured</c>; the upstream gets the caller's identity in <see cref="SalesforceIdentity.Contract.GatewayHeaders"/>.
/// </summary>
internal static class GatewayExtensions
{
    /// <summary>YARP's configuration section.</summary>
    public const string SectionName = "ReverseProxy";

    /// <summary>Adds YARP with the section's routes and clusters; without the section, adds nothing.</summary>
    public static void AddGateway(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        if (!section.Exists())
        {
            return;
        }

        // Only in gateway mode: a service without the section keeps the framework's own policy provider.
        builder.Services.AddSingleton<IAuthorizationPolicyProvider, ScopePolicyProvider>();
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(SectionName);
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(section)
            .AddConfigFilter<AuthenticatedRoutesFilter>()
            .AddTransforms(IdentityHeaders.AddTo);
    }

    /// <summary>Maps the section's routes, when there is one.</summary>
    public static void MapGateway(this WebApplication app)
    {
        if (app.Services.GetService<IProxyStateLookup>() is null)
        {
            return;
        }

        // Before YARP loads the routes: a route that would be open stops the service with one line naming it.
        _ = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        app.MapReverseProxy(proxy =>
        {
            proxy.UseAuthenticatedCallersOnly();
            proxy.UseUpstreamErrorAnswers();
            // What MapReverseProxy() adds when no pipeline is given.
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
    }
}
