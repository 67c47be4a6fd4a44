using Microsoft.AspNetCore.Http;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// Finds the caller's token: <c>Authorization: Bearer</c> (RFC 6750 §2.1, scheme case-insensitive), or the
/// Node.js demo's <c>bearer</c> header. Anything ambiguous or malformed is refused before any call is made.
/// </summary>
internal static class BearerTokenReader
{
    private static readonly string Unreadable = $"The token must be one word of printable ASCII, at most {TokenRules.MaxLength} characters.";

    public static TokenRead Read(HttpRequest request)
    {
        // RFC 6750 §2.3 / RFC 9700: tokens in URLs leak through logs and Referer headers.
        if (request.Query.ContainsKey("access_token"))
        {
            return TokenRead.Malformed("Send the token in the Authorization header, never in the URL.");
        }

        var authorization = request.Headers.Authorization;
        var demoHeader = request.Headers[SalesforceTokenDefaults.DemoTokenHeader];
        if (authorization.Count == 0 && demoHeader.Count == 0)
        {
            return TokenRead.None;
        }

        if (authorization.Count + demoHeader.Count > 1)
        {
            return TokenRead.Malformed("Send exactly one token, in one Authorization: Bearer header.");
        }

        string? token;
        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? "";
            const string scheme = "Bearer";
            var isBearer = value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && (value.Length == scheme.Length || value[scheme.Length] == ' ');
            if (!isBearer)
            {
                return TokenRead.Malformed("Use the Bearer scheme: Authorization: Bearer followed by the token.");
            }

            token = value[scheme.Length..].TrimStart(' ');
        }
        else
        {
            token = demoHeader[0];
        }

        if (!TokenRules.IsWellFormed(token))
        {
            return TokenRead.Malformed(Unreadable);
        }

        var instanceUrl = request.Headers[SalesforceTokenDefaults.DemoInstanceUrlHeader];
        if (instanceUrl.Count > 1)
        {
            return TokenRead.Malformed("Send at most one instanceurl header.");
        }

        return TokenRead.Found(token!, instanceUrl.Count == 1 ? instanceUrl[0] : null);
    }
}

/// <summary>The outcome of looking for a token: none, malformed (with why), or found.</summary>
internal readonly record struct TokenRead(string? Token, string? InstanceUrl, string? Problem)
{
    public static readonly TokenRead None = new(null, null, null);

    public static TokenRead Malformed(string problem) => new(null, null, problem);

    public static TokenRead Found(string token, string? instanceUrl) => new(token, instanceUrl, null);
}
