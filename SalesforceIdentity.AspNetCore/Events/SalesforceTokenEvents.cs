namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// Callbacks of the Salesforce token scheme, in the shape of <c>JwtBearerEvents</c>: set the <c>On...</c>
/// delegates, or derive and register the type as <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/>.
/// </summary>
public class SalesforceTokenEvents
{
    /// <summary>
    /// After the AuthService (or the in-process check of a JWT-based access token) confirms a token: add claims to <c>context.Principal</c>, or refuse the caller with
    /// <c>context.Fail(...)</c> (401 <c>invalid_token</c>). It runs once per confirmation, not per request: what it
    /// leaves is kept with the token in the in-process cache, for at most <c>LocalCache:Ttl</c>, and for longer while
    /// refreshes of a token in use bring the same answer.
    /// </summary>
    public Func<SalesforceTokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 400/401/429/503 answer is written; <c>context.HandleResponse()</c> writes your own instead.</summary>
    public Func<SalesforceTokenChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 403 answer is written; <c>context.HandleResponse()</c> writes your own instead.</summary>
    public Func<SalesforceTokenForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    public virtual Task TokenValidated(SalesforceTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(SalesforceTokenChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    public virtual Task Forbidden(SalesforceTokenForbiddenContext context) => OnForbidden(context);
}
