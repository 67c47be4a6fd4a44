using System.Text.RegularExpressions;
using Deploy.Tests.Docker;

namespace Deploy.Tests;

/// <summary>Both Dockerfiles, parsed, against the rules of heroku.md and the house style.</summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string> Dockerfiles => new()
    {
        { "Dockerfile.auth", "AuthService" },
        { "Dockerfile.resource", "ResourceService" },
    };

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void BuildsWithAPinnedSdkAndRunsOnAPinnedAspnetImage(string file, string project)
    {
        var dockerfile = Load(file);

        Assert.Equal(2, dockerfile.Stages.Count);
        var (build, final) = (dockerfile.Stages[0], dockerfile.Stages[1]);
        Assert.Matches(PinnedImage("sdk"), build.BaseImage);
        Assert.Matches(PinnedImage("aspnet"), final.BaseImage);
        Assert.NotNull(build.Name);
        var copyFromBuild = Assert.Single(final.All("COPY"), c => c.Flags.ContainsKey("from"));
        Assert.Equal(build.Name, copyFromBuild.Flags["from"]);
        Assert.Contains(build.All("RUN"), run => run.Words.Take(3).SequenceEqual(["dotnet", "publish", $"{project}/{project}.csproj"]));
    }

    [Fact]
    public void BothImagesPinTheSameBaseImages()
    {
        var auth = Load("Dockerfile.auth").Stages.Select(s => s.BaseImage);
        var resource = Load("Dockerfile.resource").Stages.Select(s => s.BaseImage);

        // One toolchain for both apps: a service never runs on a runtime the other was not tested with.
        Assert.Equal(auth, resource);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void RestoreRunsInItsOwnLayerBeforeTheSourcesAreCopied(string file, string project)
    {
        var build = Load(file).Stages[0].Instructions;

        var restore = FindIndex(build, i => i.Keyword == "RUN" && i.Words.Take(2).SequenceEqual(["dotnet", "restore"]));
        var publish = FindIndex(build, i => i.Keyword == "RUN" && i.Words.Take(2).SequenceEqual(["dotnet", "publish"]));
        Assert.True(restore >= 0, $"{file}: no RUN dotnet restore.");
        Assert.True(publish > restore, $"{file}: dotnet publish must come after dotnet restore.");
        Assert.Contains("--no-restore", build[publish].Words);

        var copiesBeforeRestore = build.Take(restore).Where(i => i.Keyword == "COPY").ToList();
        var copiedBeforeRestore = copiesBeforeRestore.SelectMany(c => c.Words.SkipLast(1)).ToList();
        Assert.NotEmpty(copiedBeforeRestore);
        Assert.All(copiedBeforeRestore, source => Assert.Matches(RestoreInput(), source));
        Assert.Contains($"{project}/{project}.csproj", copiedBeforeRestore);
        Assert.Contains("Directory.Packages.props", copiedBeforeRestore);

        var copiedAfterRestore = build.Skip(restore).Take(publish - restore).Where(i => i.Keyword == "COPY").SelectMany(c => c.Words.SkipLast(1));
        Assert.Contains($"{project}/", copiedAfterRestore);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void FinalStageRunsAsTheImagesNonRootUserWithAnExecFormEntrypoint(string file, string project)
    {
        var final = Load(file).FinalStage;

        var user = Assert.Single(final.All("USER"));
        Assert.Equal("$APP_UID", user.Arguments);
        var entrypoint = Assert.Single(final.All("ENTRYPOINT"));
        Assert.True(entrypoint.IsExecForm, $"{file}:{entrypoint.Line}: ENTRYPOINT must be exec form (a JSON array): the process must get SIGTERM itself.");
        Assert.Equal(["dotnet", $"{project}.dll"], entrypoint.Words);
        Assert.True(final.Instructions.ToList().IndexOf(user) < final.Instructions.ToList().IndexOf(entrypoint), "USER must come before ENTRYPOINT.");
        Assert.Empty(final.All("CMD"));
        Assert.Empty(final.All("RUN"));
    }

    [Theory]
    [InlineData("Dockerfile.auth")]
    [InlineData("Dockerfile.resource")]
    public void UsesNothingHerokuIgnoresAndCarriesNoSecret(string file)
    {
        var dockerfile = Load(file);

        Assert.DoesNotContain(dockerfile.Instructions, i => i.Keyword is "EXPOSE" or "HEALTHCHECK" or "VOLUME" or "STOPSIGNAL" or "SHELL");
        Assert.DoesNotContain(dockerfile.Instructions, i => i.Keyword == "ADD");
        foreach (var instruction in dockerfile.Instructions.Where(i => i.Keyword is "ENV" or "ARG" or "LABEL"))
        {
            foreach (var word in instruction.Words)
            {
                var (name, value) = Dockerfile.SplitOnce(word, '=');
                Assert.DoesNotMatch(SecretName(), name);
                Assert.DoesNotMatch(CredentialsInUrl(), value);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryCopySourceIsInTheBuildContext(string file, string project)
    {
        var dockerfile = Load(file);
        var ignore = DockerIgnore.Load(Repository.PathTo(".dockerignore"));
        var copies = dockerfile.Instructions.Where(i => i.Keyword == "COPY" && !i.Flags.ContainsKey("from")).ToList();

        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            foreach (var source in copy.Words.SkipLast(1))
            {
                var path = Repository.PathTo(source);
                var where = $"{file}:{copy.Line}: COPY {source}";
                if (File.Exists(path))
                {
                    Assert.False(ignore.IsExcluded(source), $"{where} is excluded by .dockerignore.");
                }
                else
                {
                    Assert.True(Directory.Exists(path), $"{where} does not exist in the repository.");
                    Assert.True(ignore.ContextFiles(Repository.Root, source).Any(),
                        $"{where}: .dockerignore leaves nothing of it in the build context.");
                }
            }
        }

        Assert.False(ignore.IsExcluded($"{project}/Program.cs"), $"{project}'s sources must reach the build context.");
    }

    [Fact]
    public void BuildContextHoldsSourcesButNoBuildOutputSecretsOrHistory()
    {
        var ignore = DockerIgnore.Load(Repository.PathTo(".dockerignore"));

        Assert.False(ignore.IsExcluded("AuthService/Program.cs"));
        Assert.False(ignore.IsExcluded("ServiceDefaults/PortBinding.cs"));
        Assert.False(ignore.IsExcluded("Directory.Packages.props"));
        Assert.True(ignore.IsExcluded("AuthService/obj/project.assets.json"));
        Assert.True(ignore.IsExcluded("ResourceService/bin/Release/net10.0/ResourceService.dll"));
        Assert.True(ignore.IsExcluded(".env"));
        Assert.True(ignore.IsExcluded("AuthService/.env"));
        Assert.True(ignore.IsExcluded(".git/config"));
        Assert.True(ignore.IsExcluded("tests/Deploy.Tests/DockerfileTests.cs"));
        Assert.True(ignore.IsExcluded("SalesforceEmulator/Program.cs"));
    }

    [Fact]
    public void ParserJoinsContinuationLinesAndDropsCommentsInsideThem()
    {
        var dockerfile = Dockerfile.Parse("""
            # syntax=docker/dockerfile:1
            ARG VERSION=1.0
            FROM --platform=$BUILDPLATFORM example/sdk:1.2.3 AS build
            # a comment
            RUN dotnet publish \
                # dropped inside a continuation
                -c Release \

                -o /app
            COPY --from=build --chown=app /app ./
            ENTRYPOINT ["dotnet", "App.dll"]
            CMD dotnet App.dll
            """);

        Assert.Equal(["ARG", "FROM", "RUN", "COPY", "ENTRYPOINT", "CMD"], dockerfile.Instructions.Select(i => i.Keyword));
        var stage = Assert.Single(dockerfile.Stages);
        Assert.Equal(("example/sdk:1.2.3", "build", "$BUILDPLATFORM"), (stage.BaseImage, stage.Name, stage.Platform));
        var run = stage.All("RUN").Single();
        Assert.Equal(["dotnet", "publish", "-c", "Release", "-o", "/app"], run.Words);
        Assert.Equal(5, run.Line);
        var copy = stage.All("COPY").Single();
        Assert.Equal("build", copy.Flags["from"]);
        Assert.Equal(["/app", "./"], copy.Words);
        Assert.True(stage.All("ENTRYPOINT").Single().IsExecForm);
        Assert.False(stage.All("CMD").Single().IsExecForm);
    }

    private static Dockerfile Load(string file) => Dockerfile.Load(Repository.PathTo(file));

    private static int FindIndex(IReadOnlyList<DockerInstruction> instructions, Func<DockerInstruction, bool> predicate) =>
        instructions.Select((instruction, index) => (instruction, index)).FirstOrDefault(x => predicate(x.instruction), (null!, -1)).Item2;

    // A full major.minor.patch tag: never "latest", never a floating "10.0".
    private static Regex PinnedImage(string repository) =>
        new($@"^mcr\.microsoft\.com/dotnet/{repository}:\d+\.\d+\.\d+(-[a-z0-9.-]+)?(@sha256:[0-9a-f]{{64}})?$");

    [GeneratedRegex(@"(^|/)([\w.-]+\.csproj|[\w.-]+\.props|[\w.-]+\.targets|global\.json|NuGet\.config)$", RegexOptions.IgnoreCase)]
    private static partial Regex RestoreInput();

    [GeneratedRegex("SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL|REDIS_URL|CONNECTIONSTRING|CLIENT_ID", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("://[^/@]*:[^/@]*@")]
    private static partial Regex CredentialsInUrl();
}
