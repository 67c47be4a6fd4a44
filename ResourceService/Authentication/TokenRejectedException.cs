namespace ResourceService.Authentication;

/// <summary>Why a request carrying a token was not authenticated; decides the status of the challenge.</summary>
public sealed class TokenRejectedException(TokenRejectionKind kind, string description) : Exception(description)
{
    public TokenRejectionKind Kind { get; } = kind;
}

public enum TokenRejectionKind
{
    /// <summary>400 <c>invalid_request</c>: the request itself is malformed (RFC 6750 §3.1).</summary>
    InvalidRequest,

    /// <summary>401 <c>invalid_token</c>: the token is not valid for this API.</summary>
    InvalidToken,

    /// <summary>503: the AuthService could not say; fail closed.</summary>
    AuthServiceUnavailable,
}
