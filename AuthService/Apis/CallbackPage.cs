using System.Text.Encodings.Web;

namespace AuthService.Apis;

/// <summary>What a person sees after logging in: the code, and the curl line that exchanges it.</summary>
internal static class CallbackPage
{
    /// <summary>
    /// The curl line names this service as the configured <paramref name="redirectUri"/> does, never as the request's
    /// Host header does: a forged Host must not turn the page into an instruction to send the code elsewhere.
    /// </summary>
    public static string Render(string code, Uri redirectUri)
    {
        var html = HtmlEncoder.Default;
        var curl = $"curl -X POST {redirectUri.GetLeftPart(UriPartial.Authority)}/oauth2/token --data-urlencode \"code={code}\"";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Logged in</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:4rem auto;padding:0 1rem;color:#181818}
            pre{background:#f3f3f3;padding:1rem;border-radius:.3rem;white-space:pre-wrap;word-break:break-all}</style>
            </head><body>
            <h1>Logged in with Salesforce</h1>
            <p>Your code, good for one exchange here within 15 minutes:</p>
            <pre id="code">{{html.Encode(code)}}</pre>
            <p>Exchange it for an access token:</p>
            <pre id="curl">{{html.Encode(curl)}}</pre>
            <p>Then call a protected API with <code>Authorization: Bearer &lt;access_token&gt;</code>.</p>
            </body></html>
            """;
    }
}
