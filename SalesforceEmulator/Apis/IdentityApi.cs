using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary>The identity service (<c>/id/{org}/{user}</c>) and OIDC userinfo; both answer a bad token with <c>403 Bad_OAuth_Token</c>.</summary>
public static partial class IdentityApi
{
    // Fixed so that answers are stable; Salesforce sends the user record's last-modified time.
    private const string LastModified = "2024-01-01T00:00:00Z";

    public static IEndpointRouteBuilder MapIdentityApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(EmulatorDefaults.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], GetUserInfo)
            .WithName("UserInfo")
            .WithSummary("OIDC userinfo for the bearer token's user")
            .DisableAntiforgery();
        app.MapMethods(EmulatorDefaults.IdentityPrefix + "/{orgId}/{userId}", [HttpMethods.Get, HttpMethods.Post], GetIdentity)
            .WithName("Identity")
            .WithSummary("The identity service: who the token's user is, and the org's URLs")
            .DisableAntiforgery();
        return app;
    }

    public static Results<Ok<UserInfoResponse>, ContentHttpResult> GetUserInfo(HttpContext context, TokenStore tokens, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = tokens.FindActiveAccessToken(BearerToken.Read(context.Request, allowQuery: false));
        if (token is null)
        {
            return Plain(EmulatorDefaults.BadOAuthToken, StatusCodes.Status403Forbidden);
        }

        var user = token.User;
        var photos = EmulatorUrls.PhotosFor(token.InstanceUrl, user);
        var urls = EmulatorUrls.ForUser(token.InstanceUrl, user);
        return TypedResults.Ok(new UserInfoResponse(
            Sub: EmulatorUrls.IdentityUrl(token.LoginBase, user),
            UserId: user.Id18,
            OrganizationId: user.Org.Id18,
            PreferredUsername: user.Username,
            Nickname: TokenIssuer.NickName(user),
            Name: user.DisplayName,
            Email: user.Email,
            EmailVerified: true,
            GivenName: user.FirstName,
            FamilyName: user.LastName,
            Zoneinfo: user.TimeZone,
            Photos: photos,
            Profile: urls.Profile,
            Picture: photos.Picture,
            Address: new Address(),
            IsSalesforceIntegrationUser: false,
            Urls: urls,
            Active: user.Active,
            UserType: "STANDARD",
            Language: "en_US",
            Locale: "en_US",
            UtcOffset: UtcOffsetMilliseconds(user, time),
            UpdatedAt: LastModified,
            IsAppInstalled: true,
            PhoneNumber: null,
            PhoneNumberVerified: false));
    }

    public static Results<Ok<IdentityResponse>, ContentHttpResult> GetIdentity(
        HttpContext context, string orgId, string userId, EmulatorDirectory directory, TokenStore tokens, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = tokens.FindActiveAccessToken(BearerToken.Read(context.Request, allowQuery: true));
        if (token is null)
        {
            return Plain(EmulatorDefaults.BadOAuthToken, StatusCodes.Status403Forbidden);
        }

        var org = directory.FindOrg(orgId);
        var user = directory.FindUserById(userId);
        if (org is null || user is null || user.Org != org)
        {
            return Plain(EmulatorDefaults.BadId, StatusCodes.Status404NotFound);
        }

        if (token.User.Org != org)
        {
            return Plain(EmulatorDefaults.WrongOrg, StatusCodes.Status403Forbidden);
        }

        // Another user of the same org is visible only to a token with the api or full scope.
        if (user != token.User && !Scopes.Contains(token.Scope, "api") && !Scopes.Contains(token.Scope, "full"))
        {
            return Plain("No_Access", StatusCodes.Status404NotFound);
        }

        var version = context.Request.Query["version"].FirstOrDefault();
        if (version == "latest")
        {
            version = EmulatorDefaults.LatestApiVersion;
        }
        else if (version is not null && !ApiVersionPattern().IsMatch(version))
        {
            return Plain("Invalid_Version", StatusCodes.Status406NotAcceptable);
        }

        var callback = context.Request.Query["callback"].FirstOrDefault();
        if (callback is not null && !CallbackPattern().IsMatch(callback))
        {
            return Plain("Invalid_Callback", StatusCodes.Status406NotAcceptable);
        }

        var urls = EmulatorUrls.ForUser(token.InstanceUrl, user, version ?? "{version}");
        var identity = new IdentityResponse(
            Id: EmulatorUrls.IdentityUrl(token.LoginBase, user),
            AssertedUser: user == token.User,
            UserId: user.Id18,
            OrganizationId: org.Id18,
            Username: user.Username,
            NickName: TokenIssuer.NickName(user),
            DisplayName: user.DisplayName,
            Email: user.Email,
            EmailVerified: true,
            FirstName: user.FirstName,
            LastName: user.LastName,
            Timezone: user.TimeZone,
            Photos: EmulatorUrls.PhotosFor(token.InstanceUrl, user),
            AddrStreet: null,
            AddrCity: null,
            AddrState: null,
            AddrCountry: null,
            AddrZip: null,
            MobilePhone: null,
            MobilePhoneVerified: false,
            IsLightningLoginUser: false,
            Status: new IdentityStatus(null, null),
            Urls: urls,
            Active: user.Active,
            UserType: "STANDARD",
            Language: "en_US",
            Locale: "en_US",
            UtcOffset: UtcOffsetMilliseconds(user, time),
            LastModifiedDate: LastModified,
            IsAppInstalled: true);

        if (callback is not null)
        {
            return TypedResults.Text($"{callback}({JsonSerializer.Serialize(identity, EmulatorJsonContext.Default.IdentityResponse)})", "application/javascript; charset=utf-8");
        }

        // format=json|xml|urlencoded, else the Accept header; XML's root is <user> (Salesforce's identity-URL documentation).
        return ResponseFormats.Choose(context.Request.Query["format"].FirstOrDefault(), context.Request) switch
        {
            ResponseFormat.Xml => TypedResults.Content(ResponseFormats.ToXml(ToNode(identity), "user"), ResponseFormats.XmlContentType),
            ResponseFormat.UrlEncoded => TypedResults.Content(ResponseFormats.ToUrlEncoded(ToNode(identity)), ResponseFormats.UrlEncodedContentType),
            _ => TypedResults.Ok(identity),
        };
    }

    private static JsonObject ToNode(IdentityResponse identity) =>
        JsonSerializer.SerializeToNode(identity, EmulatorJsonContext.Default.IdentityResponse)!.AsObject();

    /// <summary>The user's time-zone offset now, in milliseconds (0 when the zone is unknown to this machine).</summary>
    private static long UtcOffsetMilliseconds(User user, TimeProvider time)
    {
        try
        {
            return (long)TimeZoneInfo.FindSystemTimeZoneById(user.TimeZone).GetUtcOffset(time.GetUtcNow()).TotalMilliseconds;
        }
        catch (TimeZoneNotFoundException)
        {
            return 0;
        }
    }

    private static ContentHttpResult Plain(string text, int statusCode) => TypedResults.Text(text, "text/plain; charset=utf-8", statusCode: statusCode);

    [GeneratedRegex(@"^\d{2}\.\d$")]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")]
    private static partial Regex CallbackPattern();
}
