using Microsoft.Extensions.Options;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.AuthServiceClient;

/// <summary>Presents the internal API key on every call to the AuthService, so the Refit interface need not carry it.</summary>
internal sealed class InternalApiKeyHandler(IOptions<SalesforceTokenValidationOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(InternalApi.ApiKeyHeader);
        request.Headers.Add(InternalApi.ApiKeyHeader, options.Value.ApiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
