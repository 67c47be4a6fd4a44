using Microsoft.Extensions.Options;

namespace ResourceService.AuthServiceClient;

/// <summary>Presents the internal API key on every call to the AuthService, so the Refit interface need not carry it.</summary>
internal sealed class InternalApiKeyHandler(IOptions<AuthServiceOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(ResourceDefaults.ApiKeyHeader);
        request.Headers.Add(ResourceDefaults.ApiKeyHeader, options.Value.ApiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
