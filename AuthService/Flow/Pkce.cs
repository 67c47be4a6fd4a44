using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Flow;

/// <summary>RFC 7636 PKCE with S256, and the random values of the web-server flow.</summary>
public static class Pkce
{
    /// <summary>32 bytes from the CSPRNG, base64url: 256 bits for <c>state</c> and 43 characters for a verifier.</summary>
    public static string NewRandomValue() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string ChallengeFor(string verifier) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
