using SalesforceIdentity.Hosting;
using AuthService.Apis;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

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
    /// Deployed, a request whose <c>Host</c> is not the redirect URI's host (nor one listed in <c>AllowedHosts</c>)
    /// gets 400: nothing the service builds from its own address can be steered by a forged Host. Elsewhere every
    /// host is served (<c>"*"</c> in appsettings.json).
    /// </summary>
    public static void RestrictHostsWhenDeployed(this IHostApplicationBuilder builder)
    {
        var deployed = IsDeployed(builder.Environment, builder.Configuration);
        builder.Services.AddOptions<DeployedHosts>().Configure<IOptions<SalesforceOptions>, IConfiguration>((hosts, salesforce, configuration) =>
        {
            if (!deployed)
            {
                return;
            }

            // "*" (appsettings.json's default) would switch the filter off: deployed, it adds nothing.
            var listed = (configuration[AllowedHostsSetting] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(host => host != "*");
            hosts.Allowed = [.. new[] { salesforce.Value.RedirectUri?.IdnHost }.OfType<string>().Concat(listed).Distinct(StringComparer.OrdinalIgnoreCase).Select(host => new StringSegment(host))];
        });
    }

    /// <summary>
    /// The host check, first in the pipeline. Written as a middleware of ours rather than by restricting the
    /// framework's host filtering, because that one answers with an HTML page, and every error of this service
    /// is <c>{"error","error_description"}</c>; the matching is the framework's own (<see cref="HostString.MatchesAny"/>).
    /// </summary>
    public static IApplicationBuilder UseDeployedHostFilter(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var allowed = context.RequestServices.GetRequiredService<IOptions<DeployedHosts>>().Value.Allowed;
        if (allowed.Count == 0 || HostString.MatchesAny(new StringSegment(context.Request.Host.Host), allowed))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(
            new OAuthError("invalid_request", "This service answers only requests addressed to its own host name."),
            AuthJsonContext.Default.OAuthError,
            cancellationToken: context.RequestAborted);
    });
}

/// <summary>The host names a deployed AuthService answers; empty (every host) when not deployed.</summary>
internal sealed class DeployedHosts
{
    public IList<StringSegment> Allowed { get; set; } = [];
}
