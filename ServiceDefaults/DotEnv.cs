using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SalesforceIdentity.Hosting;

/// <summary>
/// The Node.js demo's local mode: with <c>SERVER_ENV=local</c>, settings are read from a <c>.env</c>
/// file in the working directory. Environment variables still win over the file.
/// </summary>
public static class DotEnv
{
    /// <summary>Adds <c>./.env</c> below the environment variables when <c>SERVER_ENV=local</c>.</summary>
    public static TBuilder AddDotEnvWhenLocal<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!IsLocal(builder.Configuration))
        {
            return builder;
        }

        var path = Path.Combine(Directory.GetCurrentDirectory(), ".env");
        if (!File.Exists(path))
        {
            return builder;
        }

        var values = Parse(File.ReadAllLines(path));
        var sources = (IList<IConfigurationSource>)((IConfigurationBuilder)builder.Configuration).Sources;
        // Insert before the environment variables so that real environment settings still win.
        var index = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values };
        if (index < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(index, source);
        }

        return builder;
    }

    /// <summary>True when <c>SERVER_ENV</c> is <c>local</c>, the demo's switch for local runs.</summary>
    public static bool IsLocal(IConfiguration configuration) =>
        string.Equals(configuration["SERVER_ENV"], "local", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>KEY=VALUE</c> lines; <c>#</c> comments, blank lines and optional quotes are allowed.</summary>
    public static Dictionary<string, string?> Parse(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            // "__" is the environment's section separator; configuration keys use ":".
            values[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        return values;
    }
}
