namespace SalesforceIdentity.Contract;

/// <summary>How an API calls the AuthService's internal routes: where, and with which key.</summary>
public static class InternalApi
{
    /// <summary>The RFC 7662 introspection route of the AuthService.</summary>
    public const string IntrospectionPath = "/oauth2/introspect";

    /// <summary>Where the AuthService publishes <see cref="ValidationSettings"/> (GET, internal API key).</summary>
    public const string ValidationSettingsPath = "/oauth2/validation-settings";

    /// <summary>The header the caller presents the internal API key in.</summary>
    public const string ApiKeyHeader = "X-Internal-Api-Key";

    /// <summary>The setting (environment variable) that holds the key on both sides.</summary>
    public const string ApiKeySetting = "INTERNAL_API_KEY";

    /// <summary>Shorter keys are guessable by a caller that can try many.</summary>
    public const int MinimumApiKeyLength = 16;
}
