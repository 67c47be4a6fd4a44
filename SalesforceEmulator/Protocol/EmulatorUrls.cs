using Microsoft.Extensions.Options;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Protocol;

/// <summary>The emulator's hosts: the login host is the request's own base URL; the instance URL is configurable.</summary>
public sealed class EmulatorUrls(IOptions<EmulatorOptions> options)
{
    private readonly string? _instanceUrl = string.IsNullOrEmpty(options.Value.InstanceUrl) ? null : options.Value.InstanceUrl.TrimEnd('/');

    /// <summary><c>scheme://host:port</c> (plus any path base) of the request, so both localhost and 127.0.0.1 work.</summary>
    public static string LoginBase(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}";
    }

    /// <summary>The org's My Domain, else <c>Emulator:InstanceUrl</c>, else the login host.</summary>
    public string InstanceUrl(HttpRequest request, Org org)
    {
        ArgumentNullException.ThrowIfNull(org);
        return org.InstanceUrl ?? _instanceUrl ?? LoginBase(request);
    }

    /// <summary>True when two base URLs name the same scheme, host, port and path (case of scheme and host, a trailing slash aside).</summary>
    public static bool SameBase(string a, string b) =>
        Uri.TryCreate(a.TrimEnd('/'), UriKind.Absolute, out var x)
        && Uri.TryCreate(b.TrimEnd('/'), UriKind.Absolute, out var y)
        && Uri.Compare(x, y, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.Ordinal) == 0;

    /// <summary><c>{loginBase}/id/{org18}/{user18}</c>.</summary>
    public static string IdentityUrl(string loginBase, User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return $"{loginBase}{EmulatorDefaults.IdentityPrefix}/{user.Org.Id18}/{user.Id18}";
    }

    /// <summary>The identity service's <c>urls</c>, with <c>{version}</c> left for the caller to fill in, as Salesforce does.</summary>
    public static IdentityUrls ForUser(string instanceUrl, User user, string version = "{version}")
    {
        ArgumentNullException.ThrowIfNull(user);
        var i = instanceUrl;
        var org = user.Org.Id15;
        var data = $"{i}/services/data/v{version}";
        return new IdentityUrls(
            Enterprise: $"{i}/services/Soap/c/{version}/{org}",
            Metadata: $"{i}/services/Soap/m/{version}/{org}",
            Partner: $"{i}/services/Soap/u/{version}/{org}",
            Rest: $"{data}/",
            Sobjects: $"{data}/sobjects/",
            Search: $"{data}/search/",
            Query: $"{data}/query/",
            Recent: $"{data}/recent/",
            ToolingSoap: $"{i}/services/Soap/T/{version}/{org}",
            ToolingRest: $"{data}/tooling/",
            Profile: $"{i}/{user.Id18}",
            Feeds: $"{data}/chatter/feeds",
            Groups: $"{data}/chatter/groups",
            Users: $"{data}/chatter/users",
            FeedItems: $"{data}/chatter/feed-items",
            FeedElements: $"{data}/chatter/feed-elements",
            CustomDomain: i);
    }

    /// <summary>Placeholder profile photos on the instance, as Salesforce serves them.</summary>
    public static Photos PhotosFor(string instanceUrl, User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Photos($"{instanceUrl}/profilephoto/005/F", $"{instanceUrl}/profilephoto/005/T");
    }
}
