using System.Net.Http.Headers;

namespace SalesforceEmulator.Protocol;

/// <summary>Reads the access token a caller presents.</summary>
public static class BearerToken
{
    /// <summary><c>Authorization: Bearer</c> (or Salesforce's older <c>OAuth</c> scheme), else <c>?oauth_token=</c> when allowed.</summary>
    public static string? Read(HttpRequest request, bool allowQuery)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && (string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || string.Equals(header.Scheme, "OAuth", StringComparison.OrdinalIgnoreCase)))
        {
            return header.Parameter;
        }

        return allowQuery ? request.Query["oauth_token"].FirstOrDefault() : null;
    }
}
