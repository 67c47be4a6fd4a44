using SalesforceIdentity.AspNetCore;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>Scope policies in the framework's shape: <c>policy.RequireScope("api")</c>.</summary>
public static class ScopePolicyExtensions
{
    /// <summary>
    /// Requires an authenticated caller whose token carries at least one of <paramref name="allowedScopes"/>
    /// (any of them, as <c>RequireClaim</c> does; call it twice to require two). Without it the caller gets
    /// 403 with <c>error="insufficient_scope"</c> and the scopes named.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, params string[] allowedScopes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(allowedScopes));
    }
}
