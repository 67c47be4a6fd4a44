using Microsoft.AspNetCore.Authentication;

namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// Options of one Salesforce token scheme: how it answers and its events. Where the AuthService is, the key and
/// the caches are shared by every scheme: <see cref="SalesforceTokenValidationOptions"/>.
/// </summary>
public sealed class SalesforceTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>The realm named in <c>WWW-Authenticate</c> (RFC 6750 §3); the application's name when not set.</summary>
    public string? Realm { get; set; }

    /// <summary>Callbacks that add claims, refuse a caller, or change the 401/403 answers.</summary>
    public new SalesforceTokenEvents Events
    {
        get => (SalesforceTokenEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Creates the options with empty events.</summary>
    public SalesforceTokenOptions() => Events = new SalesforceTokenEvents();
}
