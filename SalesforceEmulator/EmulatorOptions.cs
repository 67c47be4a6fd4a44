namespace SalesforceEmulator;

/// <summary>
/// The <c>Emulator</c> configuration section: the default org, connected app and user (flat keys),
/// extra ones (<c>Orgs</c>, <c>Apps</c>, <c>Users</c> arrays) and the emulator's own switches.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>Access-token lifetime (the org's session timeout).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = EmulatorDefaults.DefaultAccessTokenLifetime;

    /// <summary>Refresh-token lifetime; Salesforce's default policy is "valid until revoked", so it is long.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = EmulatorDefaults.DefaultRefreshTokenLifetime;

    /// <summary>The <c>instance_url</c> to hand out; the request's own base URL when unset.</summary>
    public string? InstanceUrl { get; set; }

    /// <summary>Whether the <c>/_emulator</c> test hooks (request log, faults, expiry) are on; off unless configured.</summary>
    public bool TestHooks { get; set; }

    public string OrgId { get; set; } = EmulatorDefaults.DefaultOrgId;
    public string OrgName { get; set; } = EmulatorDefaults.DefaultOrgName;

    public string ClientId { get; set; } = EmulatorDefaults.DefaultClientId;
    public string ClientSecret { get; set; } = EmulatorDefaults.DefaultClientSecret;

    /// <summary>The default app's callback URL; several may be given separated by commas or spaces.</summary>
    public string CallbackUrl { get; set; } = EmulatorDefaults.DefaultCallbackUrl;

    /// <summary>Where the default app may send the browser after the OpenID Connect logout; none by default. Separated by commas or spaces.</summary>
    public string? PostLogoutRedirectUrl { get; set; }
    public string Scopes { get; set; } = EmulatorDefaults.DefaultScopes;

    /// <summary>The default app issues JWT-based access tokens ("Issue JSON Web Token (JWT)-based access tokens for named users").</summary>
    public bool JwtAccessTokens { get; set; }

    public string UserId { get; set; } = EmulatorDefaults.DefaultUserId;
    public string Username { get; set; } = EmulatorDefaults.DefaultUsername;
    public string Password { get; set; } = EmulatorDefaults.DefaultPassword;
    public string? SecurityToken { get; set; }
    public string FirstName { get; set; } = EmulatorDefaults.DefaultFirstName;
    public string LastName { get; set; } = EmulatorDefaults.DefaultLastName;
    public string? Email { get; set; }

    public IList<OrgOptions> Orgs { get; } = [];

    /// <summary>Experience Cloud sites: the same endpoints served again under <c>/{Prefix}</c>.</summary>
    public IList<SiteOptions> Sites { get; } = [];
    public IList<AppOptions> Apps { get; } = [];
    public IList<UserOptions> Users { get; } = [];
}

/// <summary>An extra org.</summary>
public sealed class OrgOptions
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }

    /// <summary>This org's My Domain URL; falls back to <c>Emulator:InstanceUrl</c>, then the request's base URL.</summary>
    public string? InstanceUrl { get; set; }

    /// <summary>False for a locked, closed or suspended org: its users get <c>inactive_org</c>.</summary>
    public bool Active { get; set; } = true;
}

/// <summary>An Experience Cloud site, served under <c>/{Prefix}</c> of the emulator's own host.</summary>
public sealed class SiteOptions
{
    /// <summary>The path prefix, without slashes (<c>customers</c> serves <c>/customers/services/oauth2/token</c>).</summary>
    public string Prefix { get; set; } = "";

    /// <summary>The community's <c>0DB</c> id, sent as <c>sfdc_community_id</c>; derived from the site's position when unset.</summary>
    public string? Id { get; set; }
}

/// <summary>An extra connected app. Flags default as a new Salesforce connected app's do.</summary>
public sealed class AppOptions
{
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }

    /// <summary>Callback URLs, matched exactly.</summary>
    public IList<string> CallbackUrls { get; } = [];

    /// <summary><c>post_logout_redirect_uri</c> values the OpenID Connect logout redirects to, matched exactly.</summary>
    public IList<string> PostLogoutRedirectUrls { get; } = [];
    public string Scopes { get; set; } = EmulatorDefaults.DefaultScopes;
    public bool PasswordFlowAllowed { get; set; } = true;
    public bool RefreshTokensAllowed { get; set; } = true;
    public bool RefreshTokenRotation { get; set; }
    public bool IntrospectAll { get; set; }
    public bool RequirePkce { get; set; }
    public bool RequireSecretForWebServer { get; set; } = true;
    public bool RequireSecretForRefresh { get; set; } = true;

    /// <summary>Access tokens of every flow are RS256 JWTs signed with the org's key, published at the instance's <c>/id/keys</c>.</summary>
    public bool JwtAccessTokens { get; set; }

    /// <summary>Username of the run-as user; set it to enable the client-credentials flow.</summary>
    public string? ClientCredentialsUser { get; set; }

    /// <summary>
    /// The certificate ("Use digital signatures") that verifies JWT-bearer assertions and <c>client_assertion</c>s:
    /// PEM text of an X.509 certificate or of a public key, or the path of a file holding it. Unset: the JWT-bearer flow is off.
    /// </summary>
    public string? JwtCertificate { get; set; }

    /// <summary>Usernames pre-approved for the JWT-bearer flow ("Admin approved users are pre-authorized"); empty means every user.</summary>
    public IList<string> PreApprovedUsers { get; } = [];
}

/// <summary>An extra user.</summary>
public sealed class UserOptions
{
    public string Id { get; set; } = "";

    /// <summary>The user's org; the default org when unset.</summary>
    public string? OrgId { get; set; }
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public string? SecurityToken { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? Email { get; set; }
    public bool Active { get; set; } = true;
    public string TimeZone { get; set; } = EmulatorDefaults.DefaultTimeZone;
}
