namespace SalesforceEmulator;

/// <summary>Route names, default identities and fixed protocol strings of the emulator.</summary>
public static class EmulatorDefaults
{
    public const string ConfigurationSection = "Emulator";

    public const string TokenPath = "/services/oauth2/token";
    public const string AuthorizePath = "/services/oauth2/authorize";
    public const string IntrospectPath = "/services/oauth2/introspect";
    public const string RevokePath = "/services/oauth2/revoke";
    public const string UserInfoPath = "/services/oauth2/userinfo";
    public const string RegistrationPath = "/services/oauth2/register";
    public const string LogoutPath = "/services/auth/idp/oidc/logout";
    public const string OAuthPrefix = "/services/oauth2";
    public const string DataPrefix = "/services/data";
    public const string IdentityPrefix = "/id";
    public const string KeysPath = "/id/keys";
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string TestHooksPrefix = "/_emulator";
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";

    public const string DefaultOrgId = "00D5g000004ABCD";
    public const string DefaultOrgName = "Emulated Org";
    public const string DefaultClientId = "local-client-id";
    public const string DefaultClientSecret = "local-client-secret";
    public const string DefaultCallbackUrl = "http://localhost:5101/oauth2/success";
    public const string DefaultScopes = "api id web full refresh_token offline_access openid profile email address phone";
    public const string DefaultUserId = "0055g00000DEMOU";
    public const string DefaultUsername = "demo@example.com";
    public const string DefaultPassword = "demo-password";
    public const string DefaultFirstName = "Demo";
    public const string DefaultLastName = "User";
    public const string DefaultTimeZone = "America/Los_Angeles";

    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromHours(2);
    public static readonly TimeSpan DefaultRefreshTokenLifetime = TimeSpan.FromDays(365);
    public static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan IdTokenLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The API version the data API and identity URLs name as the latest one.</summary>
    public const string LatestApiVersion = "65.0";

    /// <summary>The <c>kid</c> Salesforce puts in its id_token headers and JWKS.</summary>
    public const string SigningKeyId = "256";

    public const string OrgIdPrefix = "00D";
    public const string UserIdPrefix = "005";
    public const string CommunityIdPrefix = "0DB";
    public const string RefreshTokenPrefix = "5Aep861";
    public const string AuthorizationCodePrefix = "aPrx";

    public const string JwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string JwtClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The <c>Retry-After</c> (seconds) a 429 fault carries when the fault names none.</summary>
    public const int DefaultRetryAfterSeconds = 1;

    public const string BadOAuthToken = "Bad_OAuth_Token";
    public const string WrongOrg = "Wrong_Org";
    public const string BadId = "Bad_Id";
}
