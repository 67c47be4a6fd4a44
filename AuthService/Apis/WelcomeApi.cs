using System.Net.Mime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthService.Apis;

internal static class WelcomeApi
{
    public static IEndpointRouteBuilder MapWelcomeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Welcome)
            .WithName("Welcome")
            .WithSummary("Public welcome: HTML for browsers, text for curl.");
        return app;
    }

    /// <summary>Browsers ask for HTML; curl and API clients do not.</summary>
    public static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(value => value?.Contains(MediaTypeNames.Text.Html, StringComparison.OrdinalIgnoreCase) == true);

    private static ContentHttpResult Welcome(HttpRequest request)
    {
        return WantsHtml(request)
            ? TypedResults.Content(WelcomeHtml, MediaTypeNames.Text.Html)
            : TypedResults.Text(WelcomeText, MediaTypeNames.Text.Plain);
    }

    private const string WelcomeText = """
        Welcome to the AuthService: Salesforce as the identity provider for your API.
          GET  /oauth2/authorize    start a Salesforce login (web-server flow with PKCE)
          POST /oauth2/token        exchange the code from /oauth2/success (form or query: code)
          POST /oauth2/login        username-password grant, for testing (form: username, password)
          POST /oauth2/refresh      refresh grant (form: refresh_token)
          POST /oauth2/revoke       revoke a token (form: token)

        """;

    private const string WelcomeHtml = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>AuthService</title>
        <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#181818}
        a.button{display:inline-block;background:#0176d3;color:#fff;padding:.7rem 1.2rem;border-radius:.3rem;text-decoration:none}</style>
        </head><body>
        <h1>Welcome to the AuthService</h1>
        <p>Salesforce as the identity provider for your API. Log in to get an authorization code, then exchange it
        for an access token with <code>POST /oauth2/token</code>.</p>
        <p><a class="button" href="/oauth2/authorize">Log in with Salesforce</a></p>
        </body></html>
        """;
}
