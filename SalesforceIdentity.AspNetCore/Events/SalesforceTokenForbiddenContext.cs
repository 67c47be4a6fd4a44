using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SalesforceIdentity.AspNetCore;

/// <summary>The 403 about to be given to an authenticated caller that a policy refused.</summary>
public sealed class SalesforceTokenForbiddenContext(
    HttpContext context, AuthenticationScheme scheme, SalesforceTokenOptions options, AuthenticationProperties properties)
    : PropertiesContext<SalesforceTokenOptions>(context, scheme, options, properties)
{
    /// <summary>The scopes the route needed, space-separated, when a scope policy refused; else null.</summary>
    public string? RequiredScopes { get; init; }

    /// <summary>True once <see cref="HandleResponse"/> was called: the scheme then writes nothing.</summary>
    public void HandleResponse() => Handled = true;

    /// <summary>True once <see cref="HandleResponse"/> was called.</summary>
    public bool Handled { get; private set; }
}
