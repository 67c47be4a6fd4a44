using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AuthService;

/// <summary>The secret the ResourceService presents to <c>/oauth2/introspect</c>.</summary>
public sealed class InternalApiOptions
{
    public const string SettingName = InternalApi.ApiKeySetting;

    /// <summary>Shorter keys are guessable by a caller that can try many.</summary>
    public const int MinimumLength = InternalApi.MinimumApiKeyLength;

    public string ApiKey { get; set; } = "";

    /// <summary>Compares in constant time; hashing first hides the key's length too.</summary>
    public bool Matches(string? presented) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));
}

internal sealed class InternalApiOptionsValidator : IValidateOptions<InternalApiOptions>
{
    public ValidateOptionsResult Validate(string? name, InternalApiOptions options) =>
        options.ApiKey.Length >= InternalApiOptions.MinimumLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{InternalApiOptions.SettingName} must be set to a secret of at least {InternalApiOptions.MinimumLength} characters.");
}
