using Refit;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.AuthServiceClient;

/// <summary>The AuthService as an API sees it: token introspection, and the settings for checking JWT-based tokens.</summary>
internal interface IAuthServiceApi
{
    /// <summary>Asks about a token; the body is <see cref="IntrospectionRequest.ToContent"/>.</summary>
    [Post(InternalApi.IntrospectionPath)]
    Task<IApiResponse<IntrospectionResponse>> IntrospectAsync([Body] HttpContent form, CancellationToken cancellationToken);

    /// <summary>What a JWT-based access token must carry here: the client id, My Domains and allowed orgs.</summary>
    [Get(InternalApi.ValidationSettingsPath)]
    Task<IApiResponse<ValidationSettings>> GetValidationSettingsAsync(CancellationToken cancellationToken);
}
