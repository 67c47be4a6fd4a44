namespace SalesforceIdentity.Contract;

/// <summary>What a token may look like before anyone is asked about it: cheap checks both sides apply.</summary>
public static class TokenRules
{
    /// <summary>
    /// The longest token accepted. Salesforce's opaque tokens are about 112 characters; JWT-based access tokens
    /// carry a header, claims and an RS256 signature (1–2 KB, more with many scopes or custom attributes), so
    /// 4 KB leaves them room while keeping a flood of huge headers cheap to refuse.
    /// </summary>
    public const int MaxLength = 4096;

    /// <summary>Printable ASCII without spaces (RFC 6750 §2.1's b64token and more), 1 to <see cref="MaxLength"/> characters.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token) =>
        token.Length is > 0 and <= MaxLength && !token.ContainsAnyExceptInRange('!', '~');

    /// <inheritdoc cref="IsWellFormed(ReadOnlySpan{char})"/>
    public static bool IsWellFormed(string? token) => token is not null && IsWellFormed(token.AsSpan());
}
