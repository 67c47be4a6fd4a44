using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore;

/// <summary>A token the AuthService just confirmed: its answer, and the principal built from it.</summary>
public sealed class SalesforceTokenValidatedContext(
    HttpContext context, AuthenticationScheme scheme, SalesforceTokenOptions options, IntrospectionResponse introspection)
    : ResultContext<SalesforceTokenOptions>(context, scheme, options)
{
    /// <summary>The AuthService's answer for the token (active, with the caller's identity).</summary>
    public IntrospectionResponse Introspection { get; } = introspection;
}
