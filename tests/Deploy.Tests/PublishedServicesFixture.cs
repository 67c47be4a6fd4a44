using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Deploy.Tests.Docker;
using Deploy.Tests.Hosting;

namespace Deploy.Tests;

/// <summary>
/// The two services as Heroku runs them, once per test run: each built by carrying out its Dockerfile
/// (<see cref="ImageBuild"/>), then started from the image's entrypoint with only a dyno's environment
/// (<c>PORT</c>, <c>DYNO</c>, the image's <c>ENV</c>, the contract's config vars) against a TLS
/// <c>redis-server</c> reached through a <c>rediss://</c> URL, with the SalesforceEmulator run beside
/// them on loopback. Tests may start more AuthService processes on the same Redis.
/// </summary>
public sealed class PublishedServicesFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Heroku sends SIGKILL 30 s after SIGTERM; a service must be gone before that.</summary>
    public static readonly TimeSpan HerokuShutdownLimit = TimeSpan.FromSeconds(30);

    public const string EmulatorClientId = "local-client-id";
    public const string EmulatorClientSecret = "local-client-secret";

    /// <summary>The emulator's one org (SalesforceEmulator's defaults): production accepts only listed orgs.</summary>
    public const string EmulatorOrgId = "00D5g000004ABCD";

    /// <summary>The platform Heroku runs images on; the Dockerfiles publish for <c>TARGETARCH</c>.</summary>
    private static readonly Dictionary<string, string> BuildArgs = new(StringComparer.Ordinal)
    {
        ["TARGETARCH"] = "amd64",
        ["TARGETPLATFORM"] = "linux/amd64",
        ["BUILDPLATFORM"] = "linux/amd64",
    };

    private readonly string _work = Path.Combine(Path.GetTempPath(), $"deploy-tests-{Guid.NewGuid():N}");
    private readonly List<IAsyncDisposable> _started = [];
    private BuiltImage? _authImage;
    private BuiltImage? _resourceImage;
    private TlsRedisServer? _redis;

    public ServiceProcess Emulator { get; private set; } = null!;

    public ServiceProcess AuthService { get; private set; } = null!;

    public ServiceProcess ResourceService { get; private set; } = null!;

    /// <summary>The port of the first AuthService: REDIRECT_URI (the connected app's callback) names it.</summary>
    public int AuthPort { get; private set; }

    public string InternalApiKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>The AuthService's key-ring certificate, made by deploy/heroku.sh's own generator.</summary>
    public string KeyRingCertificate { get; private set; } = "";

    /// <summary>HOME of every AuthService process: it must stay empty, its Data Protection keys belong in Redis.</summary>
    public string AuthServiceHome => Path.Combine(_work, "home", "authservice");

    public TlsRedisServer Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public Uri RedirectUri => new($"http://127.0.0.1:{AuthPort}/oauth2/success");

    public async Task InitializeAsync()
    {
        try
        {
            // The two builds share nothing, so they run side by side.
            var auth = ImageBuild.RunAsync(Repository.PathTo("Dockerfile.auth"), Repository.Root, Path.Combine(_work, "auth"), BuildArgs);
            var resource = ImageBuild.RunAsync(Repository.PathTo("Dockerfile.resource"), Repository.Root, Path.Combine(_work, "resource"), BuildArgs);
            var certificate = NewKeyRingCertificateAsync();
            await Task.WhenAll(auth, resource, certificate);
            (_authImage, _resourceImage, KeyRingCertificate) = (await auth, await resource, await certificate);

            _redis = await TlsRedisServer.StartAsync(Path.Combine(_work, "redis"));
            _started.Add(_redis);
            // Picked only now, right before use: a port picked before the builds may be someone else's by now.
            AuthPort = FreePort.Next();
            Emulator = StartEmulator();
            AuthService = StartAuthService(AuthPort);
            ResourceService = StartResourceService();
            await Task.WhenAll(
                Emulator.WaitUntilOkAsync("/health", StartTimeout),
                AuthService.WaitUntilOkAsync("/health", StartTimeout),
                ResourceService.WaitUntilOkAsync("/health", StartTimeout));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }

        _started.Clear();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless; a failed test run should not fail again here.
        }
    }

    /// <summary>
    /// Starts one more AuthService dyno on the shared Redis; the fixture kills it at the end if the test does not.
    /// <paramref name="configure"/> may change its config vars (remove one to see the dyno refuse to start).
    /// </summary>
    public ServiceProcess StartAuthService(int? port = null, Action<Dictionary<string, string>>? configure = null)
    {
        var image = _authImage ?? throw new InvalidOperationException("Not built.");
        var dynoPort = port ?? FreePort.Next();
        var environment = DynoEnvironment(image, dynoPort, AuthServiceHome);
        environment["LOGIN_URL"] = Emulator.BaseAddress.ToString().TrimEnd('/');
        environment["CLIENT_ID"] = EmulatorClientId;
        environment["CLIENT_SECRET_ID"] = EmulatorClientSecret;
        environment["REDIRECT_URI"] = RedirectUri.ToString();
        environment["INTERNAL_API_KEY"] = InternalApiKey;
        environment["REDIS_URL"] = Redis.Url;
        environment["Salesforce__PasswordFlow"] = "Enabled";
        environment["Salesforce__AllowedOrgIds"] = EmulatorOrgId;
        environment["DataProtection__Certificate"] = KeyRingCertificate;
        configure?.Invoke(environment);
        return Track(StartImage("authservice", image, environment, dynoPort));
    }

    /// <summary>Delays (and counts down) the emulator's answers on <paramref name="path"/>.</summary>
    public async Task SetEmulatorLatencyAsync(string path, int latencyMs, int count)
    {
        using var client = Emulator.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs, statusCode = (int?)null, path, count });
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearEmulatorFaultsAsync()
    {
        using var client = Emulator.CreateClient();
        using var response = await client.DeleteAsync(new Uri("/_emulator/faults", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public async Task<int> CountEmulatorRequestsAsync(string path)
    {
        using var client = Emulator.CreateClient();
        var requests = await client.GetFromJsonAsync<List<RecordedRequest>>($"/_emulator/requests?path={Uri.EscapeDataString(path)}");
        return requests!.Count(r => r.Path == path);
    }

    private ServiceProcess StartResourceService()
    {
        var image = _resourceImage ?? throw new InvalidOperationException("Not built.");
        var port = FreePort.Next();
        var environment = DynoEnvironment(image, port, Path.Combine(_work, "home", "resourceservice"));
        environment["AUTH_SERVICE_URL"] = AuthService.BaseAddress.ToString().TrimEnd('/');
        environment["INTERNAL_API_KEY"] = InternalApiKey;
        environment["REDIS_URL"] = Redis.Url;
        return Track(StartImage("resourceservice", image, environment, port));
    }

    private ServiceProcess StartEmulator()
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = Path.Combine(_work, "emulator-home"),
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["Emulator__CallbackUrl"] = RedirectUri.ToString(),
            // The request log and fault injection (/_emulator) that the shutdown test uses.
            ["Emulator__TestHooks"] = "true",
        };
        Directory.CreateDirectory(environment["HOME"]);
        // The emulator is a test tool, not an image: its build output (the AppHost reference builds it) is enough.
        var assembly = Repository.BuildOutput("SalesforceEmulator");
        return Track(ServiceProcess.Start("salesforce-emulator", DotnetHost.Path, [assembly], Path.GetDirectoryName(assembly)!, environment, port));
    }

    /// <summary>
    /// Runs <c>new_key_ring_certificate</c> from deploy/heroku.sh (the function alone, not the script), so the dynos
    /// prove that what the deploy generates with openssl is a certificate the AuthService loads.
    /// </summary>
    private static async Task<string> NewKeyRingCertificateAsync()
    {
        const string RunTheFunction = """eval "$(sed -n '/^new_key_ring_certificate()/,/^}/p' "$1")" && new_key_ring_certificate""";
        var result = await Command.RunAsync("bash", ["-c", RunTheFunction, "bash", Repository.PathTo("deploy/heroku.sh")],
            Repository.Root, null, TimeSpan.FromSeconds(60));
        var certificate = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.True(result.ExitCode == 0 && certificate is { Length: > 1000 }, $"deploy/heroku.sh's new_key_ring_certificate failed:\n{result.Output}");
        return certificate;
    }

    /// <summary>What a dyno's process sees: the platform's variables, the image's ENV, and (added by callers) config vars.</summary>
    private static Dictionary<string, string> DynoEnvironment(BuiltImage image, int port, string home)
    {
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string>(image.Environment, StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = home,
            ["DYNO"] = "web.1",
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
        };
        return environment;
    }

    private static ServiceProcess StartImage(string name, BuiltImage image, Dictionary<string, string> environment, int port)
    {
        Assert.True(image.Entrypoint.Count >= 2 && image.Entrypoint[0] == "dotnet", $"{name}: the entrypoint should be [\"dotnet\", \"<service>.dll\"].");
        return ServiceProcess.Start(name, DotnetHost.Path, image.Entrypoint.Skip(1), image.WorkingDirectory, environment, port);
    }

    private ServiceProcess Track(ServiceProcess process)
    {
        _started.Add(process);
        return process;
    }

    private sealed record RecordedRequest(string Method, string Path);
}

[CollectionDefinition(Name)]
public sealed class PublishedServices : ICollectionFixture<PublishedServicesFixture>
{
    public const string Name = "Published services";
}
