using SalesforceEmulator.State;

namespace SalesforceEmulator;

/// <summary>
/// Serves every endpoint again under each Experience Cloud site's <c>/{prefix}</c>: the prefix becomes the path base,
/// so the site's URLs (issuer, identity URL, form action) carry it, as Salesforce's site endpoints do.
/// </summary>
public sealed class SitePrefixMiddleware(RequestDelegate next, EmulatorDirectory directory)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        foreach (var site in directory.Sites)
        {
            if (request.Path.StartsWithSegments("/" + site.Prefix, StringComparison.OrdinalIgnoreCase, out var matched, out var remaining)
                && !remaining.StartsWithSegments(EmulatorDefaults.TestHooksPrefix))
            {
                request.PathBase = request.PathBase.Add(matched);
                request.Path = remaining.HasValue ? remaining : "/";
                context.Items[typeof(Site)] = site;
                break;
            }
        }

        return next(context);
    }

    /// <summary>The site the request came in through, or null for the login host itself.</summary>
    public static Site? CurrentSite(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(typeof(Site), out var site) ? site as Site : null;
    }
}
