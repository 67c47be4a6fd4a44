using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// Met when the caller's token was granted at least one of <see cref="AllowedScopes"/>, compared exactly
/// (RFC 6749 §3.3). Like the framework's <c>ClaimsAuthorizationRequirement</c> it is its own handler, so it needs
/// no registration. When it is not met it notes the scopes on the request, so that the 403 can name them
/// (RFC 6750 §3: <c>scope="..."</c>) without replacing any of the framework's authorization services.
/// </summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>Where a refused request carries the scopes its route needed, for the 403's challenge.</summary>
    internal const string RequiredScopeItem = "SalesforceIdentity.RequiredScope";

    /// <summary>Requires one of <paramref name="allowedScopes"/>.</summary>
    public ScopeRequirement(IEnumerable<string> allowedScopes)
    {
        ArgumentNullException.ThrowIfNull(allowedScopes);
        AllowedScopes = [.. allowedScopes];
        if (AllowedScopes.Count == 0 || !AllowedScopes.All(IsScopeToken))
        {
            throw new ArgumentException("Name at least one scope; each is one word of printable ASCII without '\"' or '\\' (RFC 6749 §3.3).", nameof(allowedScopes));
        }
    }

    /// <summary>The scopes of which the token needs at least one.</summary>
    public IReadOnlyList<string> AllowedScopes { get; }

    /// <inheritdoc/>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.FindAll(SalesforceClaimTypes.Scope).Any(claim => requirement.AllowedScopes.Contains(claim.Value, StringComparer.Ordinal)))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http)
        {
            // The scopes come from the route's policy (validated scope-tokens), never from the request.
            var needed = http.Items.TryGetValue(RequiredScopeItem, out var noted) && noted is string earlier
                ? earlier.Split(' ').Union(requirement.AllowedScopes, StringComparer.Ordinal)
                : requirement.AllowedScopes;
            http.Items[RequiredScopeItem] = string.Join(' ', needed);
        }

        return Task.CompletedTask;
    }

    // scope-token = 1*( %x21 / %x23-5B / %x5D-7E ): also keeps the value safe inside a WWW-Authenticate quoted string.
    private static bool IsScopeToken(string scope) =>
        scope.Length > 0 && scope.All(c => c is '!' or >= '#' and <= '[' or >= ']' and <= '~');
}
