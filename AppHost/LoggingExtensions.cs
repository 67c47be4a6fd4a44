namespace AppHost;

internal static class LoggingExtensions
{
    /// <summary>
    /// Passes <c>ServiceLogLevel</c> (e.g. <c>--ServiceLogLevel=Debug</c>) to a service as its default log
    /// level: for troubleshooting, and for the tests that scan every log line for secrets.
    /// </summary>
    public static IResourceBuilder<T> WithServiceLogLevel<T>(this IResourceBuilder<T> builder) where T : IResourceWithEnvironment
    {
        var level = builder.ApplicationBuilder.Configuration["ServiceLogLevel"];
        return string.IsNullOrWhiteSpace(level) ? builder : builder.WithEnvironment("Logging__LogLevel__Default", level);
    }
}
