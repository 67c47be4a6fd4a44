namespace SalesforceIdentity.AspNetCore;

/// <summary>Why a request carrying a token was not authenticated; decides the status of the challenge.</summary>
public sealed class TokenRejectedException : Exception
{
    /// <summary>A rejection of the given kind, with one sentence for the caller.</summary>
    public TokenRejectedException(TokenRejectionKind kind, string description, TimeSpan retryAfter = default)
        : base(description)
    {
        Kind = kind;
        RetryAfter = retryAfter;
    }

    /// <summary>What the answer will be.</summary>
    public TokenRejectionKind Kind { get; }

    /// <summary>How long the caller should wait, for 429 and 503.</summary>
    public TimeSpan RetryAfter { get; }
}

/// <summary>The answers a request with a token can get instead of access.</summary>
public enum TokenRejectionKind
{
    /// <summary>400 <c>invalid_request</c>: the request itself is malformed (RFC 6750 §3.1).</summary>
    InvalidRequest,

    /// <summary>401 <c>invalid_token</c>: the token is not valid for this API.</summary>
    InvalidToken,

    /// <summary>429: too many unknown tokens from the caller's address.</summary>
    TooManyUnknownTokens,

    /// <summary>503: the AuthService could not say; fail closed.</summary>
    AuthServiceUnavailable,
}
