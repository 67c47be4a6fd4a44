using System.Reflection;

namespace SalesforceIdentity.Tests;

/// <summary>Paths in the repository under test, found from the test assembly's location.</summary>
public static class Repository
{
    private const string SolutionFile = "SalesforceIdentity.slnx";

    public static string Root { get; } = FindRoot();

    public static string PathTo(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>
    /// The built assembly of a project this test project builds (a project reference), in the same
    /// configuration as the tests.
    /// </summary>
    public static string BuildOutput(string project)
    {
        var configuration = typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var assembly = Path.Combine(Root, project, "bin", configuration, "net10.0", $"{project}.dll");
        return File.Exists(assembly)
            ? assembly
            : throw new FileNotFoundException($"{assembly} is missing: build the test project, which builds {project}.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
    }
}
