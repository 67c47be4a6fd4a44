using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthService.Apis;

/// <summary>The <c>{"error","error_description"}</c> answers, each saying what went wrong and what to do.</summary>
internal static partial class Errors
{
    public static JsonHttpResult<OAuthError> BadRequest(string error, string description) =>
        Json(StatusCodes.Status400BadRequest, error, description);

    public static JsonHttpResult<OAuthError> Json(int statusCode, string error, string description) =>
        TypedResults.Json(new OAuthError(error, description), AuthJsonContext.Default.OAuthError, statusCode: statusCode);

    public static JsonHttpResult<OAuthError> PasswordFlowDisabled() =>
        Json(StatusCodes.Status404NotFound, "unsupported_grant_type",
            "The username-password flow is disabled here; use /oauth2/authorize, or set Salesforce__PasswordFlow=Enabled for testing.");

    /// <summary>OAuth error codes are lower_snake words; anything else from outside is not echoed.</summary>
    public static string SafeCode(string error) => ErrorCodePattern().IsMatch(error) ? error : "invalid_request";

    /// <summary>Outside text, shortened and without control characters; JSON encoding escapes the rest.</summary>
    public static string SafeText(string text) => new([.. text.Take(300).Where(c => !char.IsControl(c))]);

    [GeneratedRegex("^[a-z_]{1,64}$")]
    private static partial Regex ErrorCodePattern();
}
