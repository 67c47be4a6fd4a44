using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ResourceService.Gateway;

/// <summary>
/// Policies named <c>scope:{name}</c>: a valid token that carries that Salesforce scope. A gateway route is configured
/// without code, so it cannot register a policy of its own; with these, any route can ask for any scope
/// (<c>scope:chatter_api</c>, <c>scope:cdp_query_api</c>, a custom one), and a token without it gets 403
/// <c>insufficient_scope</c> naming it. This is the framework's place for policies made from their names
/// (<see cref="IAuthorizationPolicyProvider"/>, "Custom authorization policy providers" in the ASP.NET Core docs):
/// registered policies are found first, as before.
/// </summary>
internal sealed partial class ScopePolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public const string Prefix = "scope:";

    private readonly ConcurrentDictionary<string, AuthorizationPolicy> _policies = new(StringComparer.Ordinal);

    /// <summary>The scope a <c>scope:{name}</c> policy asks for; false for any other name or a name Salesforce could not issue.</summary>
    public static bool TryGetScope(string? policyName, [NotNullWhen(true)] out string? scope)
    {
        scope = policyName is not null && policyName.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && ScopeName().IsMatch(policyName.AsSpan(Prefix.Length))
            ? policyName[Prefix.Length..]
            : null;
        return scope is not null;
    }

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        await base.GetPolicyAsync(policyName).ConfigureAwait(false)
            ?? (TryGetScope(policyName, out var scope)
                ? _policies.GetOrAdd(scope, static s => new AuthorizationPolicyBuilder().RequireScope(s).Build())
                : null);

    // Salesforce's scope names (salesforce-protocol.md §2) are lower-case words joined by underscores; custom scopes
    // of a connected app are letters, digits and underscores too [unverified: the limit of a custom scope's name].
    [GeneratedRegex("^[A-Za-z0-9_]{1,80}$")]
    private static partial Regex ScopeName();
}
