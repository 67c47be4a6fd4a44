using Microsoft.Extensions.Options;

namespace AuthService.Apis;

/// <summary>Lets only callers holding the internal API key (the ResourceService) through.</summary>
internal sealed class InternalApiKeyFilter(IOptions<InternalApiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!HasValidKey(context.HttpContext, options.Value))
        {
            return Errors.Json(StatusCodes.Status401Unauthorized, "invalid_client",
                $"Present the internal API key (INTERNAL_API_KEY) in the {AuthDefaults.ApiKeyHeader} header.");
        }

        return await next(context);
    }

    /// <summary>True when the request presents exactly one <see cref="AuthDefaults.ApiKeyHeader"/> and it is the key.</summary>
    public static bool HasValidKey(HttpContext context) =>
        HasValidKey(context, context.RequestServices.GetRequiredService<IOptions<InternalApiOptions>>().Value);

    private static bool HasValidKey(HttpContext context, InternalApiOptions options)
    {
        var presented = context.Request.Headers[AuthDefaults.ApiKeyHeader];
        return presented.Count == 1 && options.Matches(presented[0]);
    }
}
