using System.Diagnostics;
using System.Reflection;

namespace SalesforceEmulator.Tests;

/// <summary>Runs node and npm for the jsforce conformance test, each run bounded by a timeout.</summary>
public static class NodeProcess
{
    public static string JsforceDirectory { get; } =
        typeof(NodeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "JsforceDirectory").Value!;

    /// <summary>Installs jsforce from the committed lock file when it is not installed yet (CI runs <c>npm ci</c> beforehand).</summary>
    public static async Task EnsureJsforceInstalledAsync()
    {
        if (File.Exists(Path.Combine(JsforceDirectory, "node_modules", "jsforce", "package.json")))
        {
            return;
        }

        var (exitCode, output, error) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, $"npm ci failed in {JsforceDirectory} ({exitCode}): {output}\n{error}");
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = JsforceDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
