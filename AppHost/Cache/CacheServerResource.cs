namespace AppHost.Cache;

/// <summary>
/// <c>redis-server</c> run as an executable, with a connection string like Aspire's Redis resource, so that
/// <c>WithReference</c> and <c>WaitFor</c> work as with <c>AddRedis</c>.
/// </summary>
public sealed class CacheServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}

/// <summary>The GarnetHost project as the <c>cache</c> resource, with the same connection string shape.</summary>
public sealed class GarnetResource(string name) : ProjectResource(name), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
