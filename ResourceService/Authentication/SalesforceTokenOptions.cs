using Microsoft.AspNetCore.Authentication;

namespace ResourceService.Authentication;

/// <summary>Options of the scheme that validates Salesforce tokens through the AuthService.</summary>
public sealed class SalesforceTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>The realm named in <c>WWW-Authenticate</c>.</summary>
    public string Realm { get; set; } = ResourceDefaults.Realm;
}
