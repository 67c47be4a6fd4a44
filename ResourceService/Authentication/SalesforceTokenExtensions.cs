using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using ResourceService.Authorization;

namespace ResourceService.Authentication;

/// <summary>Adds the scheme that validates Salesforce tokens through the AuthService.</summary>
public static class SalesforceTokenExtensions
{
    /// <summary>
    /// Adds the <see cref="ResourceDefaults.AuthenticationScheme"/> scheme. It needs an <c>IAuthServiceApi</c>
    /// (<c>AddAuthServiceClient</c>). A policy's missing scope then answers 403 naming the scope.
    /// </summary>
    public static AuthenticationBuilder AddSalesforceToken(this AuthenticationBuilder builder, Action<SalesforceTokenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        return builder.AddScheme<SalesforceTokenOptions, SalesforceTokenHandler>(ResourceDefaults.AuthenticationScheme, configure);
    }
}
