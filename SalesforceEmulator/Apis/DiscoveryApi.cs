using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary>OIDC discovery and the JWKS that verifies id_tokens.</summary>
public static class DiscoveryApi
{
    private static readonly string[] ScopesSupported =
    [
        "id", "api", "web", "full", "chatter_api", "visualforce", "refresh_token", "offline_access", "openid", "profile", "email",
        "address", "phone", "custom_permissions", "wave_api", "eclair_api",
    ];

    private static readonly string[] ClaimsSupported =
    [
        "active", "address", "email", "email_verified", "family_name", "given_name", "is_app_installed", "language", "locale", "name",
        "nickname", "organization_id", "phone_number", "phone_number_verified", "photos", "picture", "preferred_username", "profile",
        "sub", "updated_at", "urls", "user_id", "user_type", "zoneinfo",
    ];

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(EmulatorDefaults.DiscoveryPath, GetConfiguration).WithName("OpenIdConfiguration").WithSummary("OIDC discovery for the login host");
        app.MapGet(EmulatorDefaults.KeysPath, GetKeys).WithName("Keys").WithSummary("The RSA keys that sign id_tokens and this instance's JWT-based access tokens");
        return app;
    }

    public static Ok<DiscoveryDocument> GetConfiguration(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var login = EmulatorUrls.LoginBase(context.Request);
        return TypedResults.Ok(new DiscoveryDocument(
            Issuer: login,
            AuthorizationEndpoint: login + EmulatorDefaults.AuthorizePath,
            TokenEndpoint: login + EmulatorDefaults.TokenPath,
            RevocationEndpoint: login + EmulatorDefaults.RevokePath,
            UserinfoEndpoint: login + EmulatorDefaults.UserInfoPath,
            JwksUri: login + EmulatorDefaults.KeysPath,
            RegistrationEndpoint: login + EmulatorDefaults.RegistrationPath,
            IntrospectionEndpoint: login + EmulatorDefaults.IntrospectPath,
            EndSessionEndpoint: login + EmulatorDefaults.LogoutPath,
            ScopesSupported: ScopesSupported,
            ResponseTypesSupported: ["code", "token", "token id_token"],
            SubjectTypesSupported: ["public"],
            IdTokenSigningAlgValuesSupported: ["RS256"],
            DisplayValuesSupported: ["page", "popup", "touch"],
            TokenEndpointAuthMethodsSupported: ["client_secret_post", "client_secret_basic", "private_key_jwt"],
            ClaimsSupported: ClaimsSupported,
            CodeChallengeMethodsSupported: [Pkce.S256, Pkce.Plain]));
    }

    /// <summary>
    /// The id_token key, then the access-token keys of every org whose instance (My Domain) is this host: Salesforce publishes
    /// an org's JWT-based access-token keys at <c>https://{My Domain}/id/keys</c> (help article 004980324).
    /// </summary>
    public static Ok<JsonWebKeySet> GetKeys(HttpContext context, SigningKey key, AccessTokenKeys accessTokenKeys, EmulatorDirectory directory, EmulatorUrls urls)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(accessTokenKeys);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(urls);
        var here = EmulatorUrls.LoginBase(context.Request);
        var orgsHere = directory.Orgs.Where(org => EmulatorUrls.SameBase(urls.InstanceUrl(context.Request, org), here));
        return TypedResults.Ok(new JsonWebKeySet([key.Jwk(), .. accessTokenKeys.Published(orgsHere)]));
    }
}
