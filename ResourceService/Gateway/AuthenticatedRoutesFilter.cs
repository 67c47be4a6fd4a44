using Yarp.ReverseProxy.Configuration;

namespace ResourceService.Gateway;

/// <summary>
/// Applied to every route YARP loads, at start and on every reload: a route without a policy gets the default one
/// (a valid token), since YARP would otherwise apply only the fallback policy, which lets everyone through; a route
/// that asks for <c>anonymous</c> is refused, so no configuration can turn the gateway into an open proxy.
/// </summary>
internal sealed class AuthenticatedRoutesFilter : IProxyConfigFilter
{
    // YARP's reserved policy names, compared as YARP compares them.
    private const string DefaultPolicy = "Default";
    private const string AnonymousPolicy = "Anonymous";

    public static bool IsAnonymous(string? policy) => string.Equals(policy, AnonymousPolicy, StringComparison.OrdinalIgnoreCase);

    public static bool IsDefault(string? policy) => string.Equals(policy, DefaultPolicy, StringComparison.OrdinalIgnoreCase);

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => new(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (IsAnonymous(route.AuthorizationPolicy))
        {
            throw new InvalidOperationException($"Route '{route.RouteId}' asks for the anonymous policy; every gateway route needs a valid token.");
        }

        return new(string.IsNullOrEmpty(route.AuthorizationPolicy) ? route with { AuthorizationPolicy = DefaultPolicy } : route);
    }
}
