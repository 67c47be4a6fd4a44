namespace SalesforceIdentity.AspNetCore.AuthServiceClient;

/// <summary>
/// Reads the AuthService's whole answer, at most <see cref="SalesforceTokenDefaults.MaxIntrospectionResponseBytes"/>,
/// inside the resilience pipeline: Refit would otherwise read the body after the attempt timeout has ended,
/// so an endless or slowly dripping body could hold the request open.
/// </summary>
internal sealed class BoundedResponseHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(SalesforceTokenDefaults.MaxIntrospectionResponseBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
