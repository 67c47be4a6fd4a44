using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace AuthService;

/// <summary>
/// What changes when the AuthService is deployed: the Production environment (the default when
/// <c>ASPNETCORE_ENVIRONMENT</c> is unset, as on Heroku) outside the demo's local mode (<c>SERVER_ENV=local</c>).
/// Deployed, it needs an org allow-list (<see cref="SalesforceOptions"/>) and a certificate for its key ring
/// (<see cref="KeyRingOptions"/>), and it answers only requests addressed to its own host name.
/// </summary>
internal static class Deployment
{
    /// <summary>The framework's setting (semicolon-separated host names) that adds hosts to the redirect URI's own.</summary>
    public const string AllowedHostsSetting = "AllowedHosts";

    public static bool IsDeployed(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsProduction() && !DotEnv.IsLocal(configuration);

    /// <summary>
    /// Deployed, ASP.NET Core's host filtering answers 400 to a request whose <c>Host</c> is not the redirect URI's host
    /// (nor one listed in <c>AllowedHosts</c>): nothing the service builds from its own address can be steered by a
    /// forged Host. Elsewhere the framework's default stands (<c>"*"</c> in appsettings.json).
    /// </summary>
    public static void RestrictHostsWhenDeployed(this IHostApplicationBuilder builder)
    {
        if (!IsDeployed(builder.Environment, builder.Configuration))
        {
            return;
        }

        builder.Services.AddOptions<HostFilteringOptions>().Configure<IOptions<SalesforceOptions>, IConfiguration>((filtering, salesforce, configuration) =>
        {
            // "*" (appsettings.json's default) would switch the filter off: deployed, it adds nothing.
            var listed = (configuration[AllowedHostsSetting] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(host => host != "*");
            filtering.AllowedHosts = [.. new[] { salesforce.Value.RedirectUri?.IdnHost }.OfType<string>().Concat(listed).Distinct(StringComparer.OrdinalIgnoreCase)];
        });
    }
}
