using System.Security.Cryptography;
using System.Text;

namespace SalesforceEmulator.Protocol;

/// <summary>RFC 7636 checks.</summary>
public static class Pkce
{
    public const string S256 = "S256";
    public const string Plain = "plain";

    public static bool IsSupportedMethod(string? method) => method is null or S256 or Plain;

    /// <summary>True when <paramref name="verifier"/> is a valid RFC 7636 verifier that yields <paramref name="challenge"/>.</summary>
    public static bool Matches(string verifier, string challenge, string? method)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(challenge);
        if (verifier.Length is < 43 or > 128 || !verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
        {
            return false;
        }

        // A missing method means plain (RFC 7636 §4.3).
        var expected = method == S256 ? SigningKey.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }
}
