using System.Text.RegularExpressions;

namespace Deploy.Tests.Docker;

/// <summary>
/// Carries out a Dockerfile without a container engine, so that a test builds each image the way the
/// Dockerfile says: each stage gets its own root directory, <c>COPY</c> takes files from the build context
/// (the repository filtered by <c>.dockerignore</c>) or from an earlier stage, <c>RUN</c> runs its command
/// with the stage's working directory and absolute paths mapped into the stage's root, and the final
/// stage's <c>WORKDIR</c>, <c>ENV</c>, <c>USER</c> and <c>ENTRYPOINT</c> describe how to run the result.
/// Base images contribute nothing but their documented environment, and <c>dotnet</c> is the SDK running
/// the tests: this proves the Dockerfile's own steps, not the base images.
/// </summary>
public static partial class ImageBuild
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    public static async Task<BuiltImage> RunAsync(string dockerfilePath, string contextDirectory, string workDirectory,
        IReadOnlyDictionary<string, string> buildArgs)
    {
        var dockerfile = Dockerfile.Load(dockerfilePath);
        var ignore = DockerIgnore.Load(Path.Combine(contextDirectory, ".dockerignore"));
        var roots = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        StageState? state = null;

        foreach (var stage in dockerfile.Stages)
        {
            var root = Path.Combine(workDirectory, $"stage{stage.Index}");
            Directory.CreateDirectory(root);
            roots[stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = root;
            if (stage.Name is not null)
            {
                roots[stage.Name] = root;
            }

            state = new StageState(root);
            foreach (var (name, value) in BaseImageEnvironment(stage.BaseImage))
            {
                state.Environment[name] = value;
                state.Variables[name] = value;
            }

            foreach (var instruction in stage.Instructions)
            {
                await ApplyAsync(instruction, state, roots, ignore, contextDirectory, buildArgs, dockerfilePath);
            }
        }

        if (state is null)
        {
            throw new FormatException($"{dockerfilePath} has no FROM.");
        }

        return new BuiltImage(state.Root, state.MapPath(state.WorkingDirectory), state.Entrypoint, state.Environment, state.User);
    }

    /// <summary>
    /// What the ASP.NET runtime images set (dotnet-docker's Dockerfiles): the non-root user's id, and port 8080,
    /// which the services must override with Heroku's <c>PORT</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BaseImageEnvironment(string image) =>
        image.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["APP_UID"] = "1654",
                ["ASPNETCORE_HTTP_PORTS"] = "8080",
                ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
            }
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static async Task ApplyAsync(DockerInstruction instruction, StageState state, Dictionary<string, string> roots,
        DockerIgnore ignore, string contextDirectory, IReadOnlyDictionary<string, string> buildArgs, string dockerfilePath)
    {
        var where = $"{Path.GetFileName(dockerfilePath)}:{instruction.Line}";
        switch (instruction.Keyword)
        {
            case "ARG":
                foreach (var word in instruction.Words)
                {
                    var (name, defaultValue) = Dockerfile.SplitOnce(word, '=');
                    state.Variables[name] = buildArgs.TryGetValue(name, out var given) ? given : defaultValue;
                }

                break;
            case "ENV":
                foreach (var (name, value) in ParseEnv(instruction))
                {
                    var expanded = state.Expand(value);
                    state.Environment[name] = expanded;
                    state.Variables[name] = expanded;
                }

                break;
            case "WORKDIR":
                var directory = state.Expand(instruction.Words.Single());
                state.WorkingDirectory = directory.StartsWith('/') ? directory : $"{state.WorkingDirectory.TrimEnd('/')}/{directory}";
                Directory.CreateDirectory(state.MapPath(state.WorkingDirectory));
                break;
            case "COPY":
                Copy(instruction, state, roots, ignore, contextDirectory, where);
                break;
            case "RUN":
                await RunAsync(instruction, state, where);
                break;
            case "USER":
                state.User = state.Expand(instruction.Words.Single());
                break;
            case "ENTRYPOINT":
                state.Entrypoint = instruction.IsExecForm
                    ? instruction.Words
                    : throw new NotSupportedException($"{where}: only an exec-form ENTRYPOINT can run without a shell.");
                break;
            case "LABEL":
            case "CMD":
                break;
            default:
                throw new NotSupportedException($"{where}: {instruction.Keyword} is not supported by this emulation.");
        }
    }

    private static void Copy(DockerInstruction instruction, StageState state, Dictionary<string, string> roots,
        DockerIgnore ignore, string contextDirectory, string where)
    {
        var words = instruction.Words.Select(state.Expand).ToList();
        var sources = words.Take(words.Count - 1).ToList();
        var destination = words[^1];
        var destinationPath = destination.StartsWith('/') ? destination : $"{state.WorkingDirectory.TrimEnd('/')}/{destination}";
        var destinationIsDirectory = destination.EndsWith('/') || destination is "." or "./" || sources.Count > 1;
        var target = state.MapPath(destinationPath);

        foreach (var source in sources)
        {
            if (source.IndexOfAny(['*', '?', '[']) >= 0)
            {
                throw new NotSupportedException($"{where}: wildcards in COPY sources are not supported by this emulation.");
            }

            string sourcePath;
            Func<string, bool> included;
            if (instruction.Flags.TryGetValue("from", out var stageName))
            {
                if (!roots.TryGetValue(stageName, out var stageRoot))
                {
                    throw new InvalidOperationException($"{where}: COPY --from={stageName} names no earlier stage.");
                }

                sourcePath = Path.Combine(stageRoot, source.TrimStart('/'));
                included = _ => true;
            }
            else
            {
                var relative = source.Trim('/');
                sourcePath = relative is "" or "." ? contextDirectory : Path.Combine(contextDirectory, relative);
                included = file => !ignore.IsExcluded(Path.GetRelativePath(contextDirectory, file).Replace('\\', '/'));
            }

            if (File.Exists(sourcePath))
            {
                if (!included(sourcePath))
                {
                    throw new FileNotFoundException($"{where}: {source} is excluded from the build context by .dockerignore.");
                }

                var file = destinationIsDirectory ? Path.Combine(target, Path.GetFileName(sourcePath)) : target;
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.Copy(sourcePath, file, overwrite: true);
            }
            else if (Directory.Exists(sourcePath))
            {
                // A directory's contents are copied, not the directory itself.
                var files = Directory.EnumerateFiles(sourcePath, "*", SearchOption.AllDirectories).Where(included).ToList();
                if (files.Count == 0)
                {
                    throw new FileNotFoundException($"{where}: {source} has nothing left in the build context after .dockerignore.");
                }

                foreach (var file in files)
                {
                    var copy = Path.Combine(target, Path.GetRelativePath(sourcePath, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                    File.Copy(file, copy, overwrite: true);
                }
            }
            else
            {
                throw new FileNotFoundException($"{where}: COPY source {source} does not exist.");
            }
        }
    }

    private static async Task RunAsync(DockerInstruction instruction, StageState state, string where)
    {
        if (instruction.IsExecForm || ShellOperator().IsMatch(instruction.Arguments))
        {
            throw new NotSupportedException($"{where}: this emulation runs one shell-form command per RUN, without shell operators.");
        }

        var words = instruction.Words.Select(state.Expand).Select(word => word.StartsWith('/') ? state.MapPath(word) : word).ToList();
        if (words[0] != "dotnet")
        {
            throw new NotSupportedException($"{where}: only dotnet commands are emulated, not {words[0]}.");
        }

        var environment = DotnetHost.BuildEnvironment();
        foreach (var (name, value) in state.Environment)
        {
            environment[name] = value;
        }

        var result = await Command.RunAsync(DotnetHost.Path, words.Skip(1), state.MapPath(state.WorkingDirectory), environment, StepTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{where}: RUN {instruction.Arguments} failed with exit code {result.ExitCode}.\n{result.Output}");
        }
    }

    private static IEnumerable<(string Name, string Value)> ParseEnv(DockerInstruction instruction)
    {
        if (instruction.Words.Count >= 1 && !instruction.Words[0].Contains('=', StringComparison.Ordinal))
        {
            // The legacy form: ENV NAME value with spaces.
            yield return (instruction.Words[0], string.Join(' ', instruction.Words.Skip(1)));
            yield break;
        }

        foreach (var word in instruction.Words)
        {
            yield return Dockerfile.SplitOnce(word, '=');
        }
    }

    [GeneratedRegex(@"&&|\|\||[;|<>`]|\$\(")]
    private static partial Regex ShellOperator();

    private sealed class StageState(string root)
    {
        public string Root { get; } = root;

        public string WorkingDirectory { get; set; } = "/";

        public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Entrypoint { get; set; } = [];

        public string? User { get; set; }

        public string MapPath(string containerPath) => Path.Combine(Root, containerPath.TrimStart('/'));

        public string Expand(string text) => Variable().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
            return Variables.TryGetValue(name, out var value) ? value : "";
        });
    }

    [GeneratedRegex(@"\$(\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();
}

/// <summary>The result of a build: the final stage's root directory and how its entrypoint is run.</summary>
public sealed record BuiltImage(
    string Root,
    string WorkingDirectory,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyDictionary<string, string> Environment,
    string? User);
