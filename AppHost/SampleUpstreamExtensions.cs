namespace AppHost;

internal static class SampleUpstreamExtensions
{
    /// <summary>
    /// Gateway mode in a local run (issue 17): the SampleUpstream project, an API that knows nothing of Salesforce,
    /// behind the ResourceService's <c>/api/</c> routes, configured with YARP's <c>ReverseProxy</c> section as
    /// environment variables, exactly as on Heroku. <c>/api/scoped/</c> also needs the token's <c>api</c> scope.
    /// Publish mode leaves it out: it is a demonstration, and a deployment names its own upstream.
    /// </summary>
    public static void AddSampleUpstream(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> gateway)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return;
        }

        var upstream = builder.AddProject<Projects.SampleUpstream>(name)
            .WithServiceLogLevel()
            .WithHttpHealthCheck("/health");

        gateway
            .WithEnvironment("ReverseProxy__Routes__sample__ClusterId", "sample")
            .WithEnvironment("ReverseProxy__Routes__sample__Match__Path", "/api/{**catch-all}")
            .WithEnvironment("ReverseProxy__Routes__sample-scoped__ClusterId", "sample")
            .WithEnvironment("ReverseProxy__Routes__sample-scoped__Match__Path", "/api/scoped/{**catch-all}")
            .WithEnvironment("ReverseProxy__Routes__sample-scoped__AuthorizationPolicy", "api")
            .WithEnvironment("ReverseProxy__Clusters__sample__Destinations__sample__Address", upstream.GetEndpoint("http"));
    }
}
