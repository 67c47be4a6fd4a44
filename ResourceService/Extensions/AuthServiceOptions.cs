using Microsoft.Extensions.Options;

namespace ResourceService;

/// <summary>Where the AuthService is and the key to present to it.</summary>
public sealed class AuthServiceOptions
{
    /// <summary>Outside Aspire (on Heroku), the AuthService's base URL; under Aspire, service discovery finds it.</summary>
    public string? AuthServiceUrl { get; set; }

    public string ApiKey { get; set; } = "";

    /// <summary>Budget of one call: longer than the AuthService's own Salesforce budget (3 s), so its 503 arrives as such.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(4);

    public Uri BaseAddress => string.IsNullOrWhiteSpace(AuthServiceUrl)
        ? new Uri($"https+http://{ResourceDefaults.AuthServiceName}")
        : new Uri(AuthServiceUrl);
}

internal sealed class AuthServiceOptionsValidator : IValidateOptions<AuthServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthServiceOptions options)
    {
        if (options.ApiKey.Length < 16)
        {
            return ValidateOptionsResult.Fail("INTERNAL_API_KEY must be set to the AuthService's internal API key (at least 16 characters).");
        }

        if (!string.IsNullOrWhiteSpace(options.AuthServiceUrl)
            && !(Uri.TryCreate(options.AuthServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"))
        {
            return ValidateOptionsResult.Fail("AUTH_SERVICE_URL must be the AuthService's absolute base URL, e.g. https://my-auth.herokuapp.com.");
        }

        return ValidateOptionsResult.Success;
    }
}
