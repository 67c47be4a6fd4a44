using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator;

/// <summary>Checks the <c>Emulator</c> section at start, so that a bad setting stops the emulator with one clear line.</summary>
public sealed partial class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    // First path segments of the emulator's own routes: a site prefix cannot shadow them.
    private static readonly string[] ReservedPrefixes = ["services", "id", "_emulator", ".well-known", "health", "alive"];

    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string S = EmulatorDefaults.ConfigurationSection;

        if (options.AccessTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{S}:AccessTokenLifetime must be positive.");
        }

        if (options.RefreshTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{S}:RefreshTokenLifetime must be positive.");
        }

        CheckUrl(options.InstanceUrl, $"{S}:InstanceUrl", failures);

        var orgIds = new HashSet<string>(StringComparer.Ordinal);
        CheckOrgId(options.OrgId, $"{S}:OrgId", orgIds, failures);
        for (var i = 0; i < options.Orgs.Count; i++)
        {
            CheckOrgId(options.Orgs[i].Id, $"{S}:Orgs:{i}:Id", orgIds, failures);
            CheckUrl(options.Orgs[i].InstanceUrl, $"{S}:Orgs:{i}:InstanceUrl", failures);
        }

        var usernames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { options.Username };
        CheckUser(options.UserId, null, options.Username, options.Password, $"{S}", orgIds, failures);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            CheckUser(user.Id, user.OrgId, user.Username, user.Password, $"{S}:Users:{i}", orgIds, failures);
            usernames.Add(user.Username);
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{S}:ClientId must not be empty.");
        }

        CheckCallbacks(EmulatorDirectory.SplitList(options.CallbackUrl), $"{S}:CallbackUrl", failures);
        CheckCallbacks(EmulatorDirectory.SplitList(options.PostLogoutRedirectUrl), $"{S}:PostLogoutRedirectUrl", failures);
        for (var i = 0; i < options.Apps.Count; i++)
        {
            var app = options.Apps[i];
            if (string.IsNullOrWhiteSpace(app.ClientId))
            {
                failures.Add($"{S}:Apps:{i}:ClientId must not be empty.");
            }

            CheckCallbacks(app.CallbackUrls.SelectMany(EmulatorDirectory.SplitList), $"{S}:Apps:{i}:CallbackUrls", failures);
            CheckCallbacks(app.PostLogoutRedirectUrls.SelectMany(EmulatorDirectory.SplitList), $"{S}:Apps:{i}:PostLogoutRedirectUrls", failures);
            if (app.ClientCredentialsUser is { Length: > 0 } runAs && !usernames.Contains(runAs))
            {
                failures.Add($"{S}:Apps:{i}:ClientCredentialsUser '{runAs}' is not a configured username.");
            }

            if (!string.IsNullOrEmpty(app.JwtCertificate))
            {
                using var key = JwtKeyLoader.Load(app.JwtCertificate, out var error);
                if (key is null)
                {
                    failures.Add($"{S}:Apps:{i}:JwtCertificate {error}.");
                }
            }

            foreach (var approved in app.PreApprovedUsers.Where(u => !usernames.Contains(u)))
            {
                failures.Add($"{S}:Apps:{i}:PreApprovedUsers '{approved}' is not a configured username.");
            }
        }

        var prefixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Sites.Count; i++)
        {
            var site = options.Sites[i];
            var prefix = site.Prefix.Trim('/');
            if (!SitePrefixPattern().IsMatch(prefix) || ReservedPrefixes.Contains(prefix) || !prefixes.Add(prefix))
            {
                failures.Add($"{S}:Sites:{i}:Prefix must be one unique path segment of letters, digits, '-' or '_' that is not {string.Join(", ", ReservedPrefixes)}, not '{site.Prefix}'.");
            }

            if (!string.IsNullOrEmpty(site.Id) && !SalesforceId.IsValid(site.Id, EmulatorDefaults.CommunityIdPrefix))
            {
                failures.Add($"{S}:Sites:{i}:Id must be a 15- or 18-character Salesforce id starting with {EmulatorDefaults.CommunityIdPrefix}, not '{site.Id}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex SitePrefixPattern();

    private static void CheckOrgId(string id, string setting, HashSet<string> orgIds, List<string> failures)
    {
        if (!SalesforceId.IsValid(id, EmulatorDefaults.OrgIdPrefix))
        {
            failures.Add($"{setting} must be a 15- or 18-character Salesforce id starting with {EmulatorDefaults.OrgIdPrefix}, not '{id}'.");
            return;
        }

        orgIds.Add(SalesforceId.To18(id));
    }

    private static void CheckUser(string id, string? orgId, string username, string password, string prefix, HashSet<string> orgIds, List<string> failures)
    {
        if (!SalesforceId.IsValid(id, EmulatorDefaults.UserIdPrefix))
        {
            failures.Add($"{prefix}:{(prefix.Contains(":Users:", StringComparison.Ordinal) ? "Id" : "UserId")} must be a 15- or 18-character Salesforce id starting with {EmulatorDefaults.UserIdPrefix}, not '{id}'.");
        }

        if (!string.IsNullOrEmpty(orgId) && (!SalesforceId.IsValid(orgId, EmulatorDefaults.OrgIdPrefix) || !orgIds.Contains(SalesforceId.To18(orgId))))
        {
            failures.Add($"{prefix}:OrgId '{orgId}' is not a configured org.");
        }

        if (string.IsNullOrWhiteSpace(username))
        {
            failures.Add($"{prefix}:Username must not be empty.");
        }

        if (string.IsNullOrEmpty(password))
        {
            failures.Add($"{prefix}:Password must not be empty.");
        }
    }

    private static void CheckCallbacks(IEnumerable<string> urls, string setting, List<string> failures)
    {
        foreach (var url in urls)
        {
            CheckUrl(url, setting, failures);
        }
    }

    private static void CheckUrl(string? url, string setting, List<string> failures)
    {
        if (string.IsNullOrEmpty(url))
        {
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{setting} must be an absolute http(s) URL, not '{url}'.");
        }
    }
}
