using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary><c>/services/oauth2/revoke</c>: revoking a refresh token also ends every session issued from it.</summary>
public static partial class RevokeApi
{
    public static IEndpointRouteBuilder MapRevokeApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(EmulatorDefaults.RevokePath, [HttpMethods.Get, HttpMethods.Post], Revoke)
            .WithName("Revoke")
            .WithSummary("Revokes an access or refresh token")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Ok, ContentHttpResult>> Revoke(HttpContext context, TokenStore tokens, ILogger<TokenStore> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        var request = await OAuthRequest.ReadAsync(context.Request, cancellationToken);
        var revoked = tokens.Revoke(request?["token"]);
        Log.TokenRevoked(logger, revoked);

        // JSONP (GET ?token=&callback=fn), as the Mobile SDKs once used; the callback name is checked so nothing else can be injected.
        var callback = context.Request.Query["callback"].FirstOrDefault();
        if (callback is not null && HttpMethods.IsGet(context.Request.Method))
        {
            if (!CallbackPattern().IsMatch(callback))
            {
                return TypedResults.Text("Invalid_Callback", "text/plain", statusCode: StatusCodes.Status400BadRequest);
            }

            return TypedResults.Text($"{callback}({(revoked ? "{}" : "{\"error\":\"invalid_token\"}")})", "application/javascript", statusCode: StatusCodes.Status200OK);
        }

        // jsforce reads the error body as form-encoded [unverified for live Salesforce].
        return revoked
            ? TypedResults.Ok()
            : TypedResults.Text("error=invalid_token&error_description=invalid%20token", "application/x-www-form-urlencoded", statusCode: StatusCodes.Status400BadRequest);
    }

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")]
    private static partial Regex CallbackPattern();
}
