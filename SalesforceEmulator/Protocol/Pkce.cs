using System.Security.Cryptography;
using System.Text;

namespace SalesforceEmulator.Protocol;

/// <summary>RFC 7636 checks.</summary>
public static class Pkce
{
    public const string S256 = "S256";
    public const string Plain = "plain";
    public const int MaxVerifierLength = 1024;

    /// <summary>
    /// The method of a challenge sent without <c>code_challenge_method</c>. RFC 7636 says plain, but Salesforce defines the
    /// challenge as the SHA-256 of the verifier, and jsforce (the sf CLI's web login) sends an S256 challenge with no method.
    /// </summary>
    public const string DefaultMethod = S256;

    public static bool IsSupportedMethod(string? method) => method is null or S256 or Plain;

    /// <summary>True when <paramref name="verifier"/> is a valid (RFC 7636, but longer allowed) verifier that yields <paramref name="challenge"/>.</summary>
    public static bool Matches(string verifier, string challenge, string? method)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(challenge);
        // RFC 7636 caps a verifier at 128 characters, but Salesforce accepts jsforce's 171-character verifiers (the sf CLI's web login) [unverified: limit].
        if (verifier.Length is < 43 or > MaxVerifierLength || !verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
        {
            return false;
        }

        var expected = (method ?? DefaultMethod) == S256 ? SigningKey.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }
}
