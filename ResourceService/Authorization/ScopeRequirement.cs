using Microsoft.AspNetCore.Authorization;

namespace ResourceService.Authorization;

/// <summary>
/// Met when the caller's token was granted at least one of <see cref="AllowedScopes"/>, compared exactly
/// (RFC 6749 §3.3). Like the framework's <c>ClaimsAuthorizationRequirement</c> it is its own handler, so it
/// needs no registration.
/// </summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public ScopeRequirement(IEnumerable<string> allowedScopes)
    {
        ArgumentNullException.ThrowIfNull(allowedScopes);
        AllowedScopes = [.. allowedScopes];
        if (AllowedScopes.Count == 0 || !AllowedScopes.All(IsScopeToken))
        {
            throw new ArgumentException("Name at least one scope; each is one word of printable ASCII without '\"' or '\\' (RFC 6749 §3.3).", nameof(allowedScopes));
        }
    }

    public IReadOnlyList<string> AllowedScopes { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.FindAll(SalesforceClaimTypes.Scope).Any(claim => requirement.AllowedScopes.Contains(claim.Value, StringComparer.Ordinal)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // scope-token = 1*( %x21 / %x23-5B / %x5D-7E ): also keeps the value safe inside a WWW-Authenticate quoted string.
    private static bool IsScopeToken(string scope) =>
        scope.Length > 0 && scope.All(c => c is '!' or >= '#' and <= '[' or >= ']' and <= '~');
}
