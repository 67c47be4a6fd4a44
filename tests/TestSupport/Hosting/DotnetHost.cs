namespace SalesforceIdentity.Tests.Hosting;

/// <summary>The <c>dotnet</c> muxer running these tests: the same SDK and runtime build and run the services.</summary>
public static class DotnetHost
{
    public static string Path { get; } = Find();

    /// <summary>
    /// The environment for child <c>dotnet</c> commands: this process's, minus what MSBuild and the test
    /// platform set for themselves (inherited, they make a nested build use the parent's settings).
    /// </summary>
    public static Dictionary<string, string> BuildEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                && !name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                && !name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = (string?)entry.Value ?? "";
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // As in a container build, nothing outlives the command: no reused MSBuild nodes, no compiler server.
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["UseSharedCompilation"] = "false";
        return environment;
    }

    private static string Find()
    {
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        var self = Environment.ProcessPath;
        if (self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, "dotnet"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No dotnet executable found.");
    }
}
