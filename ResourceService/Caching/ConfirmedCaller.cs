using System.Security.Claims;
using ResourceService.AuthServiceClient;

namespace ResourceService.Caching;

/// <summary>
/// A caller the AuthService confirmed: its answer, and the identity built from it once, so that a cached
/// token costs no claims building. The identity is shared between requests and must not be changed.
/// </summary>
public sealed record ConfirmedCaller(IntrospectionResult Result, ClaimsIdentity Identity);
