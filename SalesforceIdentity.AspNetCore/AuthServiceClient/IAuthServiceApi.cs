using Refit;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.AuthServiceClient;

/// <summary>The AuthService as an API sees it: one call, token introspection.</summary>
internal interface IAuthServiceApi
{
    /// <summary>Asks about a token; the body is <see cref="IntrospectionRequest.ToContent"/>.</summary>
    [Post(InternalApi.IntrospectionPath)]
    Task<IApiResponse<IntrospectionResponse>> IntrospectAsync([Body] HttpContent form, CancellationToken cancellationToken);
}
