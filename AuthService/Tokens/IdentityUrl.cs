namespace AuthService.Tokens;

/// <summary>Salesforce's identity URL, <c>https://{login host}/id/{orgId}/{userId}</c>, the <c>sub</c> of introspection.</summary>
public static class IdentityUrl
{
    public static bool TryParse(string? identityUrl, out string organizationId, out string userId)
    {
        organizationId = "";
        userId = "";
        if (!Uri.TryCreate(identityUrl, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length < 3 || segments[^3] != "id" || !IsId(segments[^2], "00D") || !IsId(segments[^1], "005"))
        {
            return false;
        }

        organizationId = segments[^2];
        userId = segments[^1];
        return true;
    }

    private static bool IsId(string value, string prefix) =>
        value.Length is 15 or 18 && value.StartsWith(prefix, StringComparison.Ordinal) && value.All(char.IsAsciiLetterOrDigit);
}
