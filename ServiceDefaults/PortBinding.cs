using Microsoft.Extensions.Hosting;

namespace SalesforceIdentity.Hosting;

/// <summary>Heroku's runtime contract: listen on <c>0.0.0.0:$PORT</c> when <c>PORT</c> is set.</summary>
public static class PortBinding
{
    /// <summary>Binds Kestrel to all interfaces on <c>PORT</c>, overriding <c>ASPNETCORE_URLS</c>; does nothing without it.</summary>
    public static TBuilder UsePortFromEnvironment<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var value = builder.Configuration["PORT"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return builder;
        }

        if (!int.TryParse(value, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"PORT must be a TCP port number (1-65535), not '{value}'.");
        }

        // ASPNETCORE_HTTP_PORTS/URLS (the .NET images default to 8080) would otherwise win or collide.
        builder.Configuration["urls"] = $"http://0.0.0.0:{port}";
        builder.Configuration["http_ports"] = null;
        return builder;
    }
}
