using Microsoft.Extensions.Options;

namespace AuthService;

/// <summary>The connected app and the Salesforce login host it lives on.</summary>
public sealed class SalesforceOptions
{
    public const string SectionName = "Salesforce";

    public Uri LoginUrl { get; set; } = new("https://login.salesforce.com");

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>The callback exactly as registered in the connected app.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>Scopes asked for by the web-server flow.</summary>
    public string Scope { get; set; } = "api id refresh_token";

    /// <summary>Comma-separated org IDs (15 or 18 characters) whose tokens are accepted; required in production unless <see cref="AllowAnyOrg"/>.</summary>
    public string? AllowedOrgIds { get; set; }

    /// <summary>True to accept tokens of any org whose users can use the connected app, said on purpose (production needs one or the other).</summary>
    public bool AllowAnyOrg { get; set; }

    /// <summary>
    /// Comma-separated My Domain URLs whose JWT-based access tokens APIs may check themselves (their <c>iss</c>, and where
    /// their keys are). When unset: the login URL, unless it is Salesforce's shared login host, which issues no token.
    /// </summary>
    public string? JwtIssuers { get; set; }

    /// <summary><c>Enabled</c> or <c>Disabled</c>; when unset, enabled only in local mode.</summary>
    public PasswordFlow? PasswordFlow { get; set; }

    /// <summary>True when <c>SERVER_ENV=local</c>: the demo's query-string login is allowed against a loopback host.</summary>
    public bool LocalMode { get; private set; }

    /// <summary>True when deployed: the Production environment outside local mode (see <see cref="Deployment"/>).</summary>
    public bool Deployed { get; private set; }

    public IReadOnlySet<string> AllowedOrgs => _allowedOrgs ??= (AllowedOrgIds ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(OrgId15)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The My Domain origins of <see cref="JwtIssuers"/> (or the login URL's), without a trailing slash.</summary>
    public IReadOnlyList<string> Issuers => _issuers ??= string.IsNullOrWhiteSpace(JwtIssuers)
        ? (IsSharedLoginHost(LoginUrl) ? [] : [Origin(LoginUrl)])
        : [.. JwtIssuers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(issuer => Uri.TryCreate(issuer, UriKind.Absolute, out var url) ? Origin(url) : issuer).Distinct(StringComparer.Ordinal)];

    public bool PasswordFlowEnabled => PasswordFlow == AuthService.PasswordFlow.Enabled;

    /// <summary>The demo's <c>GET /oauth2/login?username=&amp;password=</c>: local mode against a loopback (emulator) host only.</summary>
    public bool QueryLoginAllowed => LocalMode && PasswordFlowEnabled && LoginUrl.IsLoopback;

    private IReadOnlySet<string>? _allowedOrgs;
    private IReadOnlyList<string>? _issuers;

    internal void ApplyHostingDefaults(bool localMode, bool deployed)
    {
        LocalMode = localMode;
        Deployed = deployed;
        PasswordFlow ??= localMode ? AuthService.PasswordFlow.Enabled : AuthService.PasswordFlow.Disabled;
    }

    /// <summary>Scheme, host and port, as Salesforce writes a token's <c>iss</c> (lowercase, no default port, no slash).</summary>
    public static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// login.salesforce.com and test.salesforce.com, where users log in but which never issue a token as <c>iss</c>: a
    /// token's issuer is its org's My Domain (salesforce-protocol.md §13).
    /// </summary>
    private static bool IsSharedLoginHost(Uri url) =>
        url.Host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase) || url.Host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Org IDs compare on their 15-character, case-sensitive form.</summary>
    public static string OrgId15(string orgId) => orgId.Length >= 15 ? orgId[..15] : orgId;
}

public enum PasswordFlow
{
    Disabled,
    Enabled,
}

internal sealed class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var failures = new List<string>();
        if (!options.LoginUrl.IsAbsoluteUri || options.LoginUrl.Scheme is not ("https" or "http"))
        {
            failures.Add("Salesforce__LoginUrl (LOGIN_URL) must be an absolute https URL.");
        }
        else if (options.LoginUrl.Scheme == "http" && !options.LoginUrl.IsLoopback)
        {
            failures.Add("Salesforce__LoginUrl (LOGIN_URL) must use https unless it is a loopback emulator.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Salesforce__ClientId (CLIENT_ID) must be set.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add("Salesforce__ClientSecret (CLIENT_SECRET_ID) must be set.");
        }

        if (options.RedirectUri is null || !options.RedirectUri.IsAbsoluteUri)
        {
            failures.Add("Salesforce__RedirectUri (REDIRECT_URI) must be the absolute callback URL registered in the connected app.");
        }

        if (options.JwtIssuers is not null && options.JwtIssuers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(issuer => !IsMyDomain(issuer)))
        {
            failures.Add("Salesforce__JwtIssuers must list My Domain URLs, comma-separated, each https://<domain> with no path (http only for a loopback emulator).");
        }

        foreach (var org in options.AllowedOrgs)
        {
            if (org.Length != 15 || !org.StartsWith("00D", StringComparison.Ordinal))
            {
                failures.Add("Salesforce__AllowedOrgIds must list org IDs of 15 or 18 characters starting with 00D.");
                break;
            }
        }

        // Without a list, a token of any org whose users may use the connected app is accepted: in production, only on purpose.
        if (options.Deployed && options.AllowedOrgs.Count == 0 && !options.AllowAnyOrg)
        {
            failures.Add("Salesforce__AllowedOrgIds must be set in production (your org IDs, comma-separated), or Salesforce__AllowAnyOrg=true to accept tokens of any org on purpose.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // An origin only: APIs fetch keys from <issuer>/id/keys, so a path, query or user info has no place here.
    private static bool IsMyDomain(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var url)
        && (url.Scheme == "https" || (url.Scheme == "http" && url.IsLoopback))
        && url.AbsolutePath == "/" && url.Query.Length == 0 && url.Fragment.Length == 0 && url.UserInfo.Length == 0;
}
