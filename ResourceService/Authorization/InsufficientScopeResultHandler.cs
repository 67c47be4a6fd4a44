using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ResourceService.Authorization;

/// <summary>
/// The framework's result handler, except that a 403 caused by a missing scope tells the authentication
/// handler which scopes were needed, so the challenge can name them (RFC 6750 §3: <c>scope="..."</c>).
/// </summary>
internal sealed class InsufficientScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var missing = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().ToList()
            : null;
        if (missing is not { Count: > 0 })
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var properties = new AuthenticationProperties();
        properties.Items[ResourceDefaults.RequiredScopeItem] = string.Join(' ', missing.SelectMany(r => r.AllowedScopes).Distinct(StringComparer.Ordinal));
        if (policy.AuthenticationSchemes.Count == 0)
        {
            await context.ForbidAsync(properties);
            return;
        }

        foreach (var scheme in policy.AuthenticationSchemes)
        {
            await context.ForbidAsync(scheme, properties);
        }
    }
}
