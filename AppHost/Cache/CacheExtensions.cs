using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AppHost.Cache;

internal static class CacheExtensions
{
    /// <summary>
    /// Adds the Redis-compatible <c>cache</c>. Publish mode always describes the Redis container (what a
    /// deploy tool expects); a local run picks per <see cref="CacheMode"/>, so a machine with only the .NET
    /// SDK runs the app. The dashboard shows the choice as the resource's type and command.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddCache(this IDistributedApplicationBuilder builder, string name)
    {
        var mode = builder.Configuration.GetValue("Cache:Mode", CacheMode.Auto);
        if (builder.ExecutionContext.IsPublishMode || mode == CacheMode.Container)
        {
            return builder.AddRedis(name);
        }

        var redisServer = mode is CacheMode.Auto or CacheMode.RedisServer ? FindOnPath("redis-server") : null;
        if (mode == CacheMode.RedisServer && redisServer is null)
        {
            throw new InvalidOperationException("Cache:Mode is RedisServer but redis-server is not on the PATH.");
        }

        if (mode == CacheMode.Auto && ContainerRuntimeAnswers())
        {
            return builder.AddRedis(name);
        }

        return redisServer is not null ? builder.AddRedisServer(name, redisServer) : builder.AddGarnet(name);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(this IDistributedApplicationBuilder builder, string name, string path)
    {
        var resource = new CacheServerResource(name, path, builder.AppHostDirectory);
        var port = resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
        return builder.AddResource(resource)
            .WithEndpoint(name: CacheServerResource.EndpointName, scheme: "tcp")
            // A cache, not a database: nothing is written to disk.
            .WithArgs("--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .WithRedisHealthCheck(resource);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddGarnet(this IDistributedApplicationBuilder builder, string name)
    {
        var resource = new GarnetResource(name);
        var port = resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
        return builder.AddResource(resource)
            .WithAnnotation<IProjectMetadata>(new Projects.GarnetHost())
            .WithEndpoint(name: GarnetResource.EndpointName, scheme: "tcp")
            // Lua on for scripts; small memory sizes: the defaults reserve gigabytes for a cache of kilobytes.
            .WithArgs("--port", port, "--bind", "127.0.0.1", "--lua", "--memory", "128m", "--index", "16m")
            .WithRedisHealthCheck(resource);
    }

    /// <summary>Marks the resource healthy only once Redis answers PING, so a failed start shows instead of hanging dependents.</summary>
    private static IResourceBuilder<T> WithRedisHealthCheck<T>(this IResourceBuilder<T> builder, IResourceWithConnectionString resource)
        where T : IResourceWithConnectionString
    {
        var key = $"{resource.Name}_redis_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddRedis(
            _ => resource.GetConnectionStringAsync().AsTask().GetAwaiter().GetResult()
                ?? throw new InvalidOperationException($"{resource.Name} has no connection string yet."),
            name: key);
        return builder.WithHealthCheck(key);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? program + ".exe" : program))
            .FirstOrDefault(File.Exists);

    /// <summary>True when <c>docker info</c> (or the runtime Aspire is told to use) answers within a few seconds.</summary>
    private static bool ContainerRuntimeAnswers()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME")
            ?? Environment.GetEnvironmentVariable("DOTNET_ASPIRE_CONTAINER_RUNTIME")
            ?? "docker";
        if (FindOnPath(runtime) is not { } path)
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
