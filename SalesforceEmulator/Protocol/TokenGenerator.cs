using System.Security.Cryptography;

namespace SalesforceEmulator.Protocol;

/// <summary>Makes Salesforce-shaped opaque tokens and codes from a CSPRNG.</summary>
public static class TokenGenerator
{
    private const string AccessTokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

    // No '=', '+', '/' or '&', so that a code survives a query string even when a client forgets to decode it.
    private const string CodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.";

    /// <summary><c>{org15}!AQ...</c>: the org prefix, then about 100 characters of <c>[A-Za-z0-9._]</c>.</summary>
    public static string NewAccessToken(string org15) =>
        $"{org15}!AQ{RandomNumberGenerator.GetString(AccessTokenAlphabet, 98)}";

    /// <summary>An opaque refresh token in Salesforce's <c>5Aep861...</c> shape.</summary>
    public static string NewRefreshToken() =>
        EmulatorDefaults.RefreshTokenPrefix + RandomNumberGenerator.GetString(AccessTokenAlphabet, 80);

    /// <summary>An opaque authorization code in Salesforce's <c>aPrx...</c> shape.</summary>
    public static string NewAuthorizationCode() =>
        EmulatorDefaults.AuthorizationCodePrefix + RandomNumberGenerator.GetString(CodeAlphabet, 80);
}
