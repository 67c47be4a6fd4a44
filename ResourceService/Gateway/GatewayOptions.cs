using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using SalesforceIdentity.Contract;

namespace ResourceService.Gateway;

/// <summary>The parts of YARP's <c>ReverseProxy</c> section the gateway checks at start: each route's policy and metadata.</summary>
internal sealed class GatewayOptions
{
    public Dictionary<string, GatewayRoute> Routes { get; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class GatewayRoute
{
    public string? AuthorizationPolicy { get; set; }

    public Dictionary<string, string?> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Refuses, at start, a route that would reach its upstream without a valid token (<c>anonymous</c>), a policy
/// this service does not have (neither registered nor <c>scope:{name}</c>), and a <c>ForwardAuthorization</c> that is not a boolean; one line per route, naming the setting.
/// </summary>
internal sealed class GatewayOptionsValidator(IOptions<AuthorizationOptions> authorization) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        foreach (var (id, route) in options.Routes)
        {
            var setting = $"{GatewayExtensions.SectionName}__Routes__{id}__";
            var policy = route.AuthorizationPolicy;
            if (AuthenticatedRoutesFilter.IsAnonymous(policy))
            {
                failures.Add($"{setting}AuthorizationPolicy is '{policy}': route '{id}' would forward callers without a valid token; leave it out (any valid token) or name a scope policy such as '{ResourceDefaults.ApiScopePolicy}'.");
            }
            else if (!string.IsNullOrEmpty(policy) && !AuthenticatedRoutesFilter.IsDefault(policy) && authorization.Value.GetPolicy(policy) is null
                && !ScopePolicyProvider.TryGetScope(policy, out _))
            {
                failures.Add($"{setting}AuthorizationPolicy names no policy of this service ('{policy}'); use 'default' (any valid token), '{ResourceDefaults.ApiScopePolicy}' (the api scope) or '{ScopePolicyProvider.Prefix}<scope>' (a token with that Salesforce scope).");
            }

            if (route.Metadata.TryGetValue(GatewayHeaders.ForwardAuthorizationMetadata, out var forward) && !bool.TryParse(forward, out _))
            {
                failures.Add($"{setting}Metadata__{GatewayHeaders.ForwardAuthorizationMetadata} must be true or false, not '{forward}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
