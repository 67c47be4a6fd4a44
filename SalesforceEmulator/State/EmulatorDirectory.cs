using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SalesforceEmulator.Protocol;

namespace SalesforceEmulator.State;

/// <summary>An org, with both forms of its id. <see cref="Active"/> can be changed by a test hook.</summary>
public sealed record Org(string Id15, string Id18, string Name, string? InstanceUrl, bool ConfiguredActive)
{
    public bool Active { get; set; } = ConfiguredActive;
}

/// <summary>An Experience Cloud site: the endpoints again under <c>/{Prefix}</c>.</summary>
public sealed record Site(string Prefix, string Id18);

/// <summary>A connected app.</summary>
public sealed record ConnectedApp(
    string ClientId,
    string? ClientSecret,
    IReadOnlyList<string> CallbackUrls,
    IReadOnlyList<string> Scopes,
    bool PasswordFlowAllowed,
    bool RefreshTokensAllowed,
    bool RefreshTokenRotation,
    bool IntrospectAll,
    bool RequirePkce,
    bool RequireSecretForWebServer,
    bool RequireSecretForRefresh,
    string? ClientCredentialsUser,
    RSA? JwtKey,
    IReadOnlyList<string> PreApprovedUsers,
    IReadOnlyList<string> PostLogoutRedirectUrls,
    bool JwtAccessTokens);

/// <summary>A user of an org.</summary>
public sealed record User(
    string Id15,
    string Id18,
    Org Org,
    string Username,
    string Password,
    string? SecurityToken,
    string FirstName,
    string LastName,
    string Email,
    bool ConfiguredActive,
    string TimeZone)
{
    /// <summary>Whether the user may log in; starts as configured and can be changed by a test hook.</summary>
    public bool Active { get; set; } = ConfiguredActive;

    public string DisplayName => $"{FirstName} {LastName}".Trim();
}

/// <summary>The orgs, connected apps and users the emulator knows, read once from <see cref="EmulatorOptions"/>.</summary>
public sealed class EmulatorDirectory
{
    private readonly Dictionary<string, Org> _orgs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConnectedApp> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, User> _usersById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, User> _usersByName = new(StringComparer.OrdinalIgnoreCase);

    public EmulatorDirectory(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;

        AddOrg(new OrgOptions { Id = o.OrgId, Name = o.OrgName });
        foreach (var org in o.Orgs)
        {
            AddOrg(org);
        }

        // An entry of Orgs with the default org's id replaces it (to give it a My Domain, say).
        var defaultOrg = _orgs[SalesforceId.To18(o.OrgId)];

        var defaultApp = new AppOptions { ClientId = o.ClientId, ClientSecret = o.ClientSecret, Scopes = o.Scopes };
        foreach (var url in SplitList(o.CallbackUrl))
        {
            defaultApp.CallbackUrls.Add(url);
        }

        foreach (var url in SplitList(o.PostLogoutRedirectUrl))
        {
            defaultApp.PostLogoutRedirectUrls.Add(url);
        }

        // An entry of Apps with the default client id replaces the default app: that is how its flags are set.
        // It keeps the default secret and callback unless it names its own ("" for the secret makes a public client).
        foreach (var app in o.Apps.Any(a => a.ClientId == o.ClientId) ? o.Apps : o.Apps.Prepend(defaultApp))
        {
            var isDefault = app.ClientId == o.ClientId;
            var secret = isDefault && app.ClientSecret is null ? o.ClientSecret : app.ClientSecret;
            var callbacks = isDefault && app.CallbackUrls.Count == 0 ? defaultApp.CallbackUrls : app.CallbackUrls;
            var logoutTargets = isDefault && app.PostLogoutRedirectUrls.Count == 0 ? defaultApp.PostLogoutRedirectUrls : app.PostLogoutRedirectUrls;
            _apps[app.ClientId] = new ConnectedApp(
                app.ClientId,
                string.IsNullOrEmpty(secret) ? null : secret,
                [.. callbacks.SelectMany(SplitList)],
                [.. SplitList(app.Scopes).Distinct(StringComparer.Ordinal)],
                app.PasswordFlowAllowed,
                app.RefreshTokensAllowed,
                app.RefreshTokenRotation,
                app.IntrospectAll,
                app.RequirePkce,
                app.RequireSecretForWebServer,
                app.RequireSecretForRefresh,
                string.IsNullOrEmpty(app.ClientCredentialsUser) ? null : app.ClientCredentialsUser,
                string.IsNullOrEmpty(app.JwtCertificate) ? null : JwtKeyLoader.Load(app.JwtCertificate, out _),
                [.. app.PreApprovedUsers],
                [.. logoutTargets.SelectMany(SplitList)],
                app.JwtAccessTokens || (isDefault && o.JwtAccessTokens));
        }

        var defaultUser = new UserOptions
        {
            Id = o.UserId,
            OrgId = defaultOrg.Id18,
            Username = o.Username,
            Password = o.Password,
            SecurityToken = o.SecurityToken,
            FirstName = o.FirstName,
            LastName = o.LastName,
            Email = o.Email,
        };
        foreach (var user in o.Users.Any(u => string.Equals(u.Username, o.Username, StringComparison.OrdinalIgnoreCase)) ? o.Users : o.Users.Prepend(defaultUser))
        {
            var org = string.IsNullOrEmpty(user.OrgId) ? defaultOrg : _orgs[SalesforceId.To18(user.OrgId)];
            var id18 = SalesforceId.To18(user.Id);
            var resolved = new User(
                id18[..15],
                id18,
                org,
                user.Username,
                user.Password,
                string.IsNullOrEmpty(user.SecurityToken) ? null : user.SecurityToken,
                user.FirstName,
                user.LastName,
                string.IsNullOrEmpty(user.Email) ? user.Username : user.Email,
                user.Active,
                user.TimeZone);
            _usersById[id18] = resolved;
            _usersByName[user.Username] = resolved;
        }

        DefaultOrg = defaultOrg;
        Sites = [.. o.Sites.Select((site, i) => new Site(site.Prefix.Trim('/'), SalesforceId.To18(string.IsNullOrEmpty(site.Id) ? DefaultSiteId(i) : site.Id)))];
    }

    public Org DefaultOrg { get; }

    public IReadOnlyList<Site> Sites { get; }

    public IEnumerable<Org> Orgs => _orgs.Values;

    public IEnumerable<User> Users => _usersById.Values;

    public ConnectedApp? FindApp(string? clientId) =>
        clientId is not null && _apps.TryGetValue(clientId, out var app) ? app : null;

    public User? FindUserByUsername(string? username) =>
        username is not null && _usersByName.TryGetValue(username, out var user) ? user : null;

    /// <summary>Finds a user by a 15- or 18-character id.</summary>
    public User? FindUserById(string? id) =>
        SalesforceId.IsValid(id, EmulatorDefaults.UserIdPrefix) && _usersById.TryGetValue(SalesforceId.To18(id!), out var user) ? user : null;

    /// <summary>Finds an org by a 15- or 18-character id.</summary>
    public Org? FindOrg(string? id) =>
        SalesforceId.IsValid(id, EmulatorDefaults.OrgIdPrefix) && _orgs.TryGetValue(SalesforceId.To18(id!), out var org) ? org : null;

    /// <summary>The id a site gets when its setting names none: <c>0DB5g000000</c> and its position.</summary>
    public static string DefaultSiteId(int index) => $"{EmulatorDefaults.CommunityIdPrefix}5g0000000{index:D3}";

    /// <summary>Restores every org's and user's configured active flag (after test hooks changed them).</summary>
    public void ResetActiveFlags()
    {
        foreach (var org in _orgs.Values)
        {
            org.Active = org.ConfiguredActive;
        }

        foreach (var user in _usersById.Values)
        {
            user.Active = user.ConfiguredActive;
        }
    }

    /// <summary>Checks a password as Salesforce does: the security token, when the user has one, follows the password.</summary>
    public static bool PasswordMatches(User user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var expected = user.Password + user.SecurityToken;
        return password is not null && CryptographicEquals(expected, password);
    }

    /// <summary>Compares two secrets in constant time.</summary>
    public static bool CryptographicEquals(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(actual));

    /// <summary>Splits a list given as one string, separated by commas or whitespace.</summary>
    public static IEnumerable<string> SplitList(string? value) =>
        (value ?? "").Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private Org AddOrg(OrgOptions org)
    {
        var id18 = SalesforceId.To18(org.Id);
        var resolved = new Org(id18[..15], id18, org.Name ?? org.Id, string.IsNullOrEmpty(org.InstanceUrl) ? null : org.InstanceUrl.TrimEnd('/'), org.Active);
        _orgs[id18] = resolved;
        return resolved;
    }
}
