using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SalesforceIdentity.AspNetCore;

/// <summary>Fills in what a scheme left unset: the realm defaults to the application's name.</summary>
public sealed class SalesforceTokenPostConfigureOptions(IHostEnvironment environment) : IPostConfigureOptions<SalesforceTokenOptions>
{
    /// <inheritdoc/>
    public void PostConfigure(string? name, SalesforceTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Realm))
        {
            options.Realm = environment.ApplicationName;
        }

        // The realm goes into a quoted string of WWW-Authenticate.
        if (options.Realm.Any(c => c is '"' or '\\' || char.IsControl(c)))
        {
            throw new InvalidOperationException($"The Salesforce token scheme '{name}' has a Realm with a quote, backslash or control character; choose a plain name.");
        }
    }
}
