using Microsoft.Extensions.Options;

namespace AuthService.Apis;

/// <summary>Lets only callers holding the internal API key (the ResourceService) through.</summary>
internal sealed class InternalApiKeyFilter(IOptions<InternalApiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[AuthDefaults.ApiKeyHeader];
        if (presented.Count != 1 || !options.Value.Matches(presented[0]))
        {
            return Errors.Json(StatusCodes.Status401Unauthorized, "invalid_client",
                $"Present the internal API key (INTERNAL_API_KEY) in the {AuthDefaults.ApiKeyHeader} header.");
        }

        return await next(context);
    }
}
