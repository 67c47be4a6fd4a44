namespace AppHost.Cache;

/// <summary>Which Redis-compatible server backs the <c>cache</c> resource. Set with <c>Cache:Mode</c> (env <c>Cache__Mode</c>).</summary>
public enum CacheMode
{
    /// <summary>Container if a container runtime answers, else redis-server from the PATH, else Garnet.</summary>
    Auto,

    /// <summary>The Redis container of Aspire.Hosting.Redis.</summary>
    Container,

    /// <summary><c>redis-server</c> from the PATH, run as an executable.</summary>
    RedisServer,

    /// <summary>Microsoft Garnet, embedded in the GarnetHost project: needs nothing but the .NET SDK.</summary>
    Garnet,
}
