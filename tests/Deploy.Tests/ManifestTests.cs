using System.Text.Json;
using System.Text.Json.Nodes;

namespace Deploy.Tests;

/// <summary><c>aspire-manifest.json</c> is generated: the committed copy must be what the AppHost writes now.</summary>
public sealed class ManifestTests
{
    private const string ManifestFile = "aspire-manifest.json";
    private const string RegenerateCommand = "dotnet run --project AppHost -- --publisher manifest --output-path ../aspire-manifest.json";

    [Fact]
    public async Task CommittedManifestMatchesWhatTheAppHostWritesNow()
    {
        var committed = Normalize(await File.ReadAllTextAsync(Repository.PathTo(ManifestFile)), Repository.Root);

        var written = await WriteManifestAsync();

        Assert.True(JsonNode.DeepEquals(committed, written),
            $"{ManifestFile} differs from what the AppHost writes now; regenerate it from the repository root with\n  {RegenerateCommand}\n"
            + FirstDifference(committed, written));
    }

    [Fact]
    public async Task ManifestDescribesRedisAsAContainerAndBothServicesBehindTheRouter()
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Repository.PathTo(ManifestFile)))!["resources"]!;

        Assert.Equal("container.v0", (string?)manifest["cache"]!["type"]);
        foreach (var service in new[] { "authservice", "resourceservice" })
        {
            Assert.Equal("project.v0", (string?)manifest[service]!["type"]);
            Assert.Equal("true", (string?)manifest[service]!["env"]!["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
        }

        // The gateway's sample upstream is a local demonstration: never deployed, and no route points at it.
        Assert.Null(manifest["sampleupstream"]);
        Assert.DoesNotContain("ReverseProxy__", manifest["resourceservice"]!["env"]!.ToJsonString(), StringComparison.Ordinal);

        // Secrets are parameters the deploy tool asks for, never values in the file.
        Assert.True((bool?)manifest["salesforce-client-secret"]!["inputs"]!["value"]!["secret"]);
        Assert.True((bool?)manifest["internal-api-key"]!["inputs"]!["value"]!["secret"]);
    }

    private static async Task<JsonNode> WriteManifestAsync()
    {
        var directory = Directory.CreateTempSubdirectory("manifest-");
        try
        {
            var output = Path.Combine(directory.FullName, ManifestFile);
            // The test project builds the AppHost (a project reference); running its output is what
            // `dotnet run --project AppHost` does after the build, without evaluating the project again.
            var result = await Command.RunAsync(DotnetHost.Path,
                [Repository.BuildOutput("AppHost"), "--publisher", "manifest", "--output-path", output],
                Repository.Root, DotnetHost.BuildEnvironment(), TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0 && File.Exists(output), $"The manifest publisher failed:\n{result.Output}");
            return Normalize(await File.ReadAllTextAsync(output), directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Project paths are written relative to the manifest's folder: make them relative to the repository root.</summary>
    private static JsonNode Normalize(string json, string manifestDirectory)
    {
        var manifest = JsonNode.Parse(json)!;
        foreach (var (_, resource) in manifest["resources"]!.AsObject())
        {
            if (resource?["path"] is JsonValue path)
            {
                var full = Path.GetFullPath(Path.Combine(manifestDirectory, (string)path!));
                resource["path"] = Path.GetRelativePath(Repository.Root, full).Replace('\\', '/');
            }
        }

        return manifest;
    }

    private static string FirstDifference(JsonNode committed, JsonNode written)
    {
        var options = new JsonSerializerOptions { WriteIndented = true };
        var left = committed.ToJsonString(options).Split('\n');
        var right = written.ToJsonString(options).Split('\n');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var a = i < left.Length ? left[i].TrimEnd() : "<end>";
            var b = i < right.Length ? right[i].TrimEnd() : "<end>";
            if (a != b)
            {
                return $"First difference at line {i + 1}:\n  committed: {a.Trim()}\n  written:   {b.Trim()}";
            }
        }

        return "";
    }
}
