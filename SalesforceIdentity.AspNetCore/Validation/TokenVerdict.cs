namespace SalesforceIdentity.AspNetCore;

/// <summary>What became of a token.</summary>
public enum TokenVerdictKind
{
    /// <summary>Valid here: <see cref="TokenVerdict.Caller"/> says who the caller is.</summary>
    Confirmed,

    /// <summary>Not valid here (expired, revoked, another app's or org's): 401 <c>invalid_token</c>.</summary>
    Refused,

    /// <summary>Nobody could say (the AuthService down, slow or talking nonsense): 503, fail closed.</summary>
    Unavailable,

    /// <summary>The client address looked up too many unknown tokens: 429 with <see cref="TokenVerdict.RetryAfter"/>.</summary>
    Limited,
}

/// <summary>The validator's answer about one token.</summary>
/// <param name="Kind">What became of the token.</param>
/// <param name="Caller">The confirmed caller, for <see cref="TokenVerdictKind.Confirmed"/>.</param>
/// <param name="Description">One sentence for the caller: what went wrong and what to do.</param>
/// <param name="RetryAfter">How long to wait, for <see cref="TokenVerdictKind.Limited"/> and <see cref="TokenVerdictKind.Unavailable"/>.</param>
public readonly record struct TokenVerdict(TokenVerdictKind Kind, ConfirmedCaller? Caller, string Description, TimeSpan RetryAfter)
{
    /// <summary>A confirmed caller.</summary>
    public static TokenVerdict Confirmed(ConfirmedCaller caller) => new(TokenVerdictKind.Confirmed, caller, "", TimeSpan.Zero);

    /// <summary>A token that is not valid here.</summary>
    public static TokenVerdict Refused(string description) => new(TokenVerdictKind.Refused, null, description, TimeSpan.Zero);

    /// <summary>No one could say; the caller should retry shortly.</summary>
    public static readonly TokenVerdict Unavailable = new(
        TokenVerdictKind.Unavailable, null, "The AuthService could not check the token; try again in a few seconds.", TimeSpan.FromSeconds(SalesforceTokenDefaults.RetryAfterSeconds));

    /// <summary>Too many unknown tokens from one address.</summary>
    public static TokenVerdict Limited(TimeSpan retryAfter) => new(
        TokenVerdictKind.Limited, null, "Too many unknown tokens from this address; retry after Retry-After seconds.", retryAfter);
}
