using System.Text;
using System.Text.Encodings.Web;

namespace SalesforceEmulator.Protocol;

/// <summary>The authorize endpoint's parameters, carried through the login form in hidden fields.</summary>
public sealed record AuthorizeParameters(
    string? ClientId,
    string? RedirectUri,
    string? ResponseType,
    string? Scope,
    string? State,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? Nonce,
    string? LoginHint)
{
    public static readonly string[] Names =
        ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method", "nonce", "login_hint"];

    public static AuthorizeParameters From(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return new(read("client_id"), read("redirect_uri"), read("response_type"), read("scope"), read("state"),
            read("code_challenge"), read("code_challenge_method"), read("nonce"), read("login_hint"));
    }

    public IEnumerable<KeyValuePair<string, string?>> Fields() =>
        Names.Zip<string, string?>([ClientId, RedirectUri, ResponseType, Scope, State, CodeChallenge, CodeChallengeMethod, Nonce, LoginHint])
            .Select(p => KeyValuePair.Create(p.First, p.Second));
}

/// <summary>The HTML of the login form and of the OAuth error page. Every value from the request is HTML-encoded.</summary>
public static class LoginPage
{
    private const string Style = """
        *{box-sizing:border-box}
        body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f3f3;font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#181818}
        main{width:100%;max-width:380px;padding:16px}
        .logo{text-align:center;font-size:28px;font-weight:700;color:#0176d3;margin-bottom:20px}
        .card{background:#fff;border:1px solid #d8dde6;border-radius:4px;padding:24px}
        label{display:block;font-size:13px;color:#3e3e3c;margin:12px 0 6px}
        input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid #c9c9c9;border-radius:4px;font-size:15px}
        input:focus{outline:none;border-color:#0176d3;box-shadow:0 0 3px #0176d3}
        button{width:100%;margin-top:20px;padding:12px;border:0;border-radius:4px;background:#0176d3;color:#fff;font-size:15px;cursor:pointer}
        button:hover{background:#014486}
        .error{background:#fef1ee;border:1px solid #ea001e;color:#ba0517;border-radius:4px;padding:10px 12px;font-size:13px}
        .app{font-size:13px;color:#706e6b;margin:0 0 4px}
        .note{text-align:center;font-size:12px;color:#706e6b;margin-top:16px}
        code{word-break:break-all}
        """;

    public const string LoginFailedMessage =
        "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

    public static string Login(string action, AuthorizeParameters parameters, string? username, string? error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>Login | Salesforce Emulator</title><style>").Append(Style).Append("</style></head><body><main>")
            .Append("<div class=\"logo\">salesforce</div><div class=\"card\">")
            .Append("<p class=\"app\">Log in to continue to <strong>").Append(e.Encode(parameters.ClientId ?? "")).Append("</strong></p>");
        if (error is not null)
        {
            html.Append("<div class=\"error\" role=\"alert\">").Append(e.Encode(error)).Append("</div>");
        }

        html.Append("<form method=\"post\" action=\"").Append(e.Encode(action)).Append("\" autocomplete=\"off\">");
        foreach (var (name, value) in parameters.Fields())
        {
            if (value is not null)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(e.Encode(value)).Append("\">");
            }
        }

        html.Append("<label for=\"username\">Username</label>")
            .Append("<input type=\"text\" id=\"username\" name=\"username\" required autofocus value=\"").Append(e.Encode(username ?? parameters.LoginHint ?? "")).Append("\">")
            .Append("<label for=\"password\">Password</label>")
            .Append("<input type=\"password\" id=\"password\" name=\"password\" required>")
            .Append("<button type=\"submit\" id=\"Login\">Log In</button></form></div>")
            .Append("<p class=\"note\">Salesforce Emulator: a local stand-in, not a real Salesforce login.</p>")
            .Append("</main></body></html>");
        return html.ToString();
    }

    /// <summary>The page the OpenID Connect logout shows when it does not redirect.</summary>
    public static string LoggedOut() => new StringBuilder()
        .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .Append("<title>Logged Out | Salesforce Emulator</title><style>").Append(Style).Append("</style></head><body><main>")
        .Append("<div class=\"logo\">salesforce</div><div class=\"card\"><h1 style=\"font-size:20px;margin-top:0\">You have logged out</h1>")
        .Append("<p>Your session with the Salesforce Emulator has ended.</p></div></main></body></html>")
        .ToString();

    public static string Error(OAuthError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var e = HtmlEncoder.Default;
        return new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>OAuth Error | Salesforce Emulator</title><style>").Append(Style).Append("</style></head><body><main>")
            .Append("<div class=\"logo\">salesforce</div><div class=\"card\"><h1 style=\"font-size:20px;margin-top:0\">OAuth Error</h1>")
            .Append("<p>We can't authorize you because of an OAuth error.</p>")
            .Append("<div class=\"error\" role=\"alert\">error=<code>").Append(e.Encode(error.Error)).Append("</code><br>error_description=<code>")
            .Append(e.Encode(error.ErrorDescription)).Append("</code></div></div></main></body></html>")
            .ToString();
    }
}
