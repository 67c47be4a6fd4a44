using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Deploy.Tests;

/// <summary>
/// Issue 15: the package protects an API outside this repository. The library and its contract are packed into a
/// folder feed; a small API written here, with nothing of the repository but a PackageReference to that package
/// (restored from the folder plus the normal feed), is built and run as a process against the published AuthService,
/// the emulator and the TLS Redis of <see cref="PublishedServicesFixture"/>.
/// </summary>
[Collection(PublishedServices.Name)]
public sealed class PackageTests(PublishedServicesFixture fixture) : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly string _work = Path.Combine(Path.GetTempPath(), $"package-tests-{Guid.NewGuid():N}");

    /// <summary>The README's "Protect your own ASP.NET Core API": the package, four lines of code, three settings.</summary>
    private const string SampleProgram = """
        using System.Security.Claims;
        using Microsoft.AspNetCore.Authorization;
        using SalesforceIdentity.AspNetCore;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication(SalesforceTokenDefaults.AuthenticationScheme).AddSalesforceToken();
        builder.Services.AddAuthorizationBuilder().AddPolicy("reports", policy => policy.RequireScope("reports_sample"));
        var app = builder.Build();

        app.MapGet("/orders", (ClaimsPrincipal user) => user.FindFirstValue(SalesforceClaimTypes.UserId)).RequireAuthorization();
        app.MapGet("/reports", () => "reports").RequireAuthorization("reports");
        app.Run();
        """;

    [Fact]
    public async Task AnApiOutsideTheRepositoryTakesThePackageAndGets401And200And403Right()
    {
        var version = $"1.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var feed = Path.Combine(_work, "feed");
        foreach (var project in new[] { "SalesforceIdentity.Contract", "SalesforceIdentity.AspNetCore" })
        {
            await RunAsync(Repository.Root, "pack", Repository.PathTo($"{project}/{project}.csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}");
        }

        var sample = Path.Combine(_work, "SampleApi");
        Directory.CreateDirectory(sample);
        await File.WriteAllTextAsync(Path.Combine(sample, "SampleApi.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SalesforceIdentity.AspNetCore" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(sample, "Program.cs"), SampleProgram);
        // The folder feed and the normal one; packages already on this machine are used from its package folder,
        // and this run's own packages land in a folder of its own (never in the machine's cache under a test version).
        await File.WriteAllTextAsync(Path.Combine(sample, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackageFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        await RunAsync(sample, "build", "-c", "Release", "--packages", Path.Combine(_work, "packages"));
        // Taken as a package from the folder feed, not as a project.
        Assert.Contains($"\"SalesforceIdentity.AspNetCore/{version}\"", await File.ReadAllTextAsync(Path.Combine(sample, "obj", "project.assets.json")), StringComparison.Ordinal);

        var port = FreePort.Next();
        var environment = DotnetHost.BuildEnvironment();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        environment["AUTH_SERVICE_URL"] = fixture.AuthService.BaseAddress.ToString().TrimEnd('/');
        environment["INTERNAL_API_KEY"] = fixture.InternalApiKey;
        environment["REDIS_URL"] = fixture.Redis.Url;
        var output = Path.Combine(sample, "bin", "Release", "net10.0");
        await using var api = ServiceProcess.Start("sample-api", DotnetHost.Path, [Path.Combine(output, "SampleApi.dll")], output, environment, port);
        using var client = api.CreateClient();
        await WaitUntilListeningAsync(api, client);
        using var auth = fixture.AuthService.CreateClient();
        var token = await HerokuRuntimeTests.LogInAsync(auth);

        using var noToken = await client.GetAsync(new Uri("/orders", UriKind.Relative));
        using var madeUp = await SendAsync(client, "/orders", "00D000000000001!not.a.real.token");
        using var valid = await SendAsync(client, "/orders", token);
        using var missingScope = await SendAsync(client, "/reports", token);

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal("Bearer realm=\"SampleApi\"", Assert.Single(noToken.Headers.GetValues("WWW-Authenticate")));
        Assert.Equal(HttpStatusCode.Unauthorized, madeUp.StatusCode);
        Assert.Equal("invalid_token", (await madeUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.True(valid.StatusCode == HttpStatusCode.OK, $"/orders with a valid token answered {(int)valid.StatusCode}.\n{api.Output}");
        Assert.StartsWith("005", await valid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, missingScope.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"reports_sample\"", Assert.Single(missingScope.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
        Assert.DoesNotContain(api.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private static async Task RunAsync(string workingDirectory, params string[] arguments)
    {
        var result = await Command.RunAsync(DotnetHost.Path, arguments, workingDirectory, DotnetHost.BuildEnvironment(), BuildTimeout);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{result.Output}");
        Assert.DoesNotContain(": warning ", result.Output, StringComparison.Ordinal);
    }

    private static string MachinePackageFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    /// <summary>The sample has no health route: any answer from it means it listens.</summary>
    private static async Task WaitUntilListeningAsync(ServiceProcess api, HttpClient client)
    {
        using var deadline = new CancellationTokenSource(PublishedServicesFixture.StartTimeout);
        while (true)
        {
            Assert.False(api.HasExited, $"The sample API exited at start:\n{api.Output}");
            try
            {
                using var response = await client.GetAsync(new Uri("/orders", UriKind.Relative), deadline.Token);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, deadline.Token);
            }
        }
    }
}
