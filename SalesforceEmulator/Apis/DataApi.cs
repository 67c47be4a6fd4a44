using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Apis;

/// <summary>
/// The few REST API resources clients touch: versions, the resource map (with <c>identity</c>), the User sObject and
/// <c>query</c> over the emulator's users. Every error is the REST API's JSON array of <c>{"message","errorCode"}</c>
/// (developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm), never an empty body.
/// </summary>
public static partial class DataApi
{
    private static readonly (string Version, string Label)[] Versions =
    [
        ("59.0", "Winter '24"), ("60.0", "Spring '24"), ("61.0", "Summer '24"), ("62.0", "Winter '25"),
        ("63.0", "Spring '25"), ("64.0", "Summer '25"), (EmulatorDefaults.LatestApiVersion, "Winter '26"),
    ];

    private static readonly string[] Resources =
    [
        "tooling", "metadata", "eclair", "folders", "prechatForms", "contact-tracing", "jsonxform", "chatter", "tabs", "appMenu",
        "quickActions", "queryAll", "commerce", "wave", "analytics", "search", "identity", "composite", "parameterizedSearch",
        "theme", "nouns", "recent", "licensing", "limits", "process", "async-queries", "query", "match", "puppet", "sobjects", "actions", "support",
    ];

    private static readonly RestError[] InvalidSession = [new("Session expired or invalid", "INVALID_SESSION_ID")];
    private static readonly RestError[] NotFoundError = [new("The requested resource does not exist", "NOT_FOUND")];

    public static IEndpointRouteBuilder MapDataApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(EmulatorDefaults.DataPrefix);
        api.MapGet("/", GetVersions).WithName("DataVersions").WithSummary("The API versions this instance serves");
        api.MapGet("/{version}", GetResources).WithName("DataResources").WithSummary("The resources of one API version, with the caller's identity URL");
        api.MapGet("/{version}/sobjects/User/{id}", GetUser).WithName("DataUser").WithSummary("A User record of the caller's org");
        api.MapGet("/{version}/query", Query).WithName("DataQuery").WithSummary("A SOQL query over the User records of the caller's org");
        // A fallback, so it is chosen only when no resource above matches the path and method.
        app.MapFallback(EmulatorDefaults.DataPrefix + "/{**path}", NotFound).WithName("DataNotFound").WithSummary("Any other path: NOT_FOUND in the REST API's error shape");
        return app;
    }

    /// <summary>
    /// <c>GET /services/data/vNN.N/query?q=SELECT … FROM User [WHERE f = '…'] [LIMIT n]</c> over the caller's org, answered as
    /// the REST API guide's Query resource does: <c>{"totalSize","done","records":[{"attributes":{"type","url"},…}]}</c>
    /// (developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm, …/dome_query.htm). Errors are 400.
    /// </summary>
    public static Results<JsonHttpResult<JsonObject>, JsonHttpResult<RestError[]>> Query(HttpContext context, string version, TokenStore tokens, EmulatorDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(directory);
        var token = tokens.FindActiveAccessToken(BearerToken.Read(context.Request, allowQuery: false));
        if (token is null)
        {
            return TypedResults.Json(InvalidSession, EmulatorJsonContext.Default.RestErrorArray, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!IsServedVersion(version))
        {
            return TypedResults.Json(NotFoundError, EmulatorJsonContext.Default.RestErrorArray, statusCode: StatusCodes.Status404NotFound);
        }

        var (query, syntaxError) = Soql.Parse(context.Request.Query["q"].FirstOrDefault());
        var (result, error) = query is null ? (null, syntaxError) : UserRecords.Run(query, directory.Users.Where(u => u.Org == token.User.Org), version);
        return result is not null
            ? TypedResults.Json(result, EmulatorJsonContext.Default.JsonObject)
            : TypedResults.Json<RestError[]>([error!], EmulatorJsonContext.Default.RestErrorArray, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// Any other <c>/services/data</c> path or method: 404 <c>NOT_FOUND</c>, after the session check every REST call makes
    /// [unverified: that an unknown path with a bad token answers 401 rather than 404].
    /// </summary>
    public static JsonHttpResult<RestError[]> NotFound(HttpContext context, TokenStore tokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        return tokens.FindActiveAccessToken(BearerToken.Read(context.Request, allowQuery: false)) is null
            ? TypedResults.Json(InvalidSession, EmulatorJsonContext.Default.RestErrorArray, statusCode: StatusCodes.Status401Unauthorized)
            : TypedResults.Json(NotFoundError, EmulatorJsonContext.Default.RestErrorArray, statusCode: StatusCodes.Status404NotFound);
    }

    public static Ok<IReadOnlyList<ApiVersion>> GetVersions() =>
        TypedResults.Ok<IReadOnlyList<ApiVersion>>([.. Versions.Select(v => new ApiVersion(v.Label, $"{EmulatorDefaults.DataPrefix}/v{v.Version}", v.Version))]);

    public static Results<Ok<Dictionary<string, string>>, JsonHttpResult<RestError[]>> GetResources(HttpContext context, string version, TokenStore tokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        var token = tokens.FindActiveAccessToken(BearerToken.Read(context.Request, allowQuery: false));
        if (token is null)
        {
            return TypedResults.Json(InvalidSession, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!IsServedVersion(version))
        {
            return TypedResults.Json(NotFoundError, statusCode: StatusCodes.Status404NotFound);
        }

        var map = Resources.ToDictionary(r => r, r => $"{EmulatorDefaults.DataPrefix}/{version}/{r}", StringComparer.Ordinal);
        map["identity"] = EmulatorUrls.IdentityUrl(token.LoginBase, token.User);
        return TypedResults.Ok(map);
    }

    public static Results<Ok<UserSObject>, JsonHttpResult<RestError[]>> GetUser(
        HttpContext context, string version, string id, TokenStore tokens, EmulatorDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(directory);
        var token = tokens.FindActiveAccessToken(BearerToken.Read(context.Request, allowQuery: false));
        if (token is null)
        {
            return TypedResults.Json(InvalidSession, statusCode: StatusCodes.Status401Unauthorized);
        }

        var user = directory.FindUserById(id);
        if (!IsServedVersion(version) || user is null || user.Org != token.User.Org)
        {
            return TypedResults.Json(NotFoundError, statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(new UserSObject(
            new SObjectAttributes("User", $"{EmulatorDefaults.DataPrefix}/{version}/sobjects/User/{user.Id18}"),
            user.Id18,
            user.Username,
            user.FirstName,
            user.LastName,
            user.DisplayName,
            user.Email,
            user.Active,
            user.TimeZone,
            "Standard"));
    }

    /// <summary><c>vNN.N</c> from API 20.0 up to the latest.</summary>
    private static bool IsServedVersion(string version)
    {
        var match = VersionPattern().Match(version);
        return match.Success
            && decimal.TryParse(match.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            && number >= 20m
            && number <= decimal.Parse(EmulatorDefaults.LatestApiVersion, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^v(\d{2}\.\d)$")]
    private static partial Regex VersionPattern();
}
