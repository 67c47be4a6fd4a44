namespace SalesforceEmulator.Protocol;

/// <summary>Salesforce's OAuth error codes and descriptions, word for word (help article xcloud.remoteaccess_oauth_flow_errors and the Mobile SDKs' OAuthErrorCode).</summary>
public static class OAuthErrors
{
    public static readonly OAuthError InvalidClientId = new("invalid_client_id", "client identifier invalid");
    public static readonly OAuthError InvalidClientCredentials = new("invalid_client", "invalid client credentials");
    public static readonly OAuthError AuthenticationFailure = new("invalid_grant", "authentication failure");
    public static readonly OAuthError ExpiredAuthorizationCode = new("invalid_grant", "expired authorization code");
    public static readonly OAuthError RedirectUriMismatch = new("redirect_uri_mismatch", "redirect_uri must match configuration");
    public static readonly OAuthError UnsupportedGrantType = new("unsupported_grant_type", "grant type not supported");
    public static readonly OAuthError ExpiredRefreshToken = new("invalid_grant", "expired access/refresh token");
    public static readonly OAuthError InactiveUser = new("inactive_user", "user is inactive");
    public static readonly OAuthError InactiveOrg = new("inactive_org", "org is locked, closed, or suspended");
    public static readonly OAuthError RateLimitExceeded = new("rate_limit_exceeded", "number of logins exceeded");

    // JWT bearer: the doc's table, and "expired authorization code" for an expired assertion (salesforce.stackexchange.com q. 282513).
    public static readonly OAuthError AudienceValidationFailed = new("invalid_grant", "audience validation failed");
    public static readonly OAuthError UserNotApproved = new("invalid_grant", "user hasn't approved this consumer");
    public static readonly OAuthError InvalidAssertion = new("invalid_grant", "invalid assertion");

    // The doc names the codes for PKCE failures but not the descriptions; this wording is Salesforce's as commonly reported [unverified].
    public static readonly OAuthError InvalidCodeVerifier = new("invalid_request", "invalid code verifier");
    public static readonly OAuthError MissingCodeVerifier = new("invalid_grant", "invalid code verifier");

    // Salesforce's answer when the client-credentials flow has no run-as user [unverified].
    public static readonly OAuthError NoClientCredentialsUser = new("invalid_grant", "no client credentials user enabled");

    // Authorize-endpoint errors, sent to the redirect URI or shown on the error page.
    public static readonly OAuthError RedirectUriMissing = new("redirect_uri_missing", "redirect_uri is required");
    public static readonly OAuthError UnsupportedResponseType = new("unsupported_response_type", "response type not supported");
    public static readonly OAuthError InvalidScope = new("invalid_scope", "the requested scope is not allowed");
    public static readonly OAuthError MissingCodeChallenge = new("invalid_request", "missing required code challenge");
    public static readonly OAuthError InvalidCodeChallengeMethod = new("invalid_request", "invalid code challenge method");
    // Salesforce names the code; this description is the emulator's own [unverified].
    public static readonly OAuthError ImmediateUnsuccessful = new("immediate_unsuccessful", "immediate authorization is not possible: the user is not logged in");
    public static readonly OAuthError AccessDenied = new("access_denied", "end-user denied authorization");

    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);
}
