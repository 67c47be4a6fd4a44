using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SalesforceIdentity.AspNetCore;

/// <summary>The answer about to be given to a request that was not authenticated.</summary>
public sealed class SalesforceTokenChallengeContext(
    HttpContext context, AuthenticationScheme scheme, SalesforceTokenOptions options, AuthenticationProperties properties)
    : PropertiesContext<SalesforceTokenOptions>(context, scheme, options, properties)
{
    /// <summary>Why authentication failed; null when no token was sent.</summary>
    public Exception? AuthenticateFailure { get; init; }

    /// <summary>The status about to be answered: 400, 401, 429 or 503.</summary>
    public int StatusCode { get; init; }

    /// <summary>The OAuth error code about to be answered (<c>invalid_token</c>, ...).</summary>
    public string Error { get; init; } = "";

    /// <summary>The error description about to be answered.</summary>
    public string ErrorDescription { get; init; } = "";

    /// <summary>True once <see cref="HandleResponse"/> was called: the scheme then writes nothing.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the scheme's own answer: the event wrote the response.</summary>
    public void HandleResponse() => Handled = true;
}
