using System.Net.Http.Headers;
using System.Security.Claims;
using SalesforceIdentity.AspNetCore;
using SalesforceIdentity.Contract;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace ResourceService.Gateway;

/// <summary>
/// The request transform of every gateway route: drops every <c>X-Salesforce-*</c> header of the caller (any case,
/// every copy), then writes the caller's identity as the scheme confirmed it (<see cref="GatewayHeaders"/>); drops
/// the caller's token (<c>Authorization</c>, the demo's <c>bearer</c> and <c>instanceurl</c>) unless the route's
/// metadata says <c>ForwardAuthorization: true</c>.
/// </summary>
internal static class IdentityHeaders
{
    private static readonly string[] TokenHeaders =
        ["Authorization", SalesforceTokenDefaults.DemoTokenHeader, SalesforceTokenDefaults.DemoInstanceUrlHeader];

    public static void AddTo(TransformBuilderContext context)
    {
        var forwardToken = context.Route.Metadata is { } metadata
            && metadata.TryGetValue(GatewayHeaders.ForwardAuthorizationMetadata, out var value)
            && bool.TryParse(value, out var forward) && forward;
        // Added after YARP copied the caller's headers and after any transform from configuration, so it has the last word.
        context.AddRequestTransform(transform =>
        {
            var headers = transform.ProxyRequest.Headers;
            RemoveReserved(headers);
            if (!forwardToken)
            {
                foreach (var name in TokenHeaders)
                {
                    headers.Remove(name);
                }
            }

            AddIdentity(headers, transform.HttpContext.User);
            return ValueTask.CompletedTask;
        });
    }

    private static void RemoveReserved(HttpRequestHeaders headers)
    {
        List<string>? reserved = null;
        foreach (var header in headers.NonValidated)
        {
            if (header.Key.StartsWith(GatewayHeaders.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                (reserved ??= []).Add(header.Key);
            }
        }

        foreach (var name in reserved ?? [])
        {
            headers.Remove(name);
        }
    }

    private static void AddIdentity(HttpRequestHeaders headers, ClaimsPrincipal user)
    {
        Add(headers, GatewayHeaders.UserId, user.FindFirstValue(SalesforceClaimTypes.UserId));
        Add(headers, GatewayHeaders.OrgId, user.FindFirstValue(SalesforceClaimTypes.OrganizationId));
        Add(headers, GatewayHeaders.Username, user.FindFirstValue(SalesforceClaimTypes.Username));
        Add(headers, GatewayHeaders.Scopes, string.Join(' ', user.FindAll(SalesforceClaimTypes.Scope).Select(claim => claim.Value)));
    }

    // Printable ASCII only: anything else could not be sent faithfully in a header (nor split it).
    private static void Add(HttpRequestHeaders headers, string name, string? value)
    {
        if (value is not null && value.All(c => c is >= ' ' and <= '~'))
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }
}
