using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// One Aspire app for a whole test collection: the real AppHost, real processes, real Redis (or Garnet),
/// the Salesforce emulator. Starting one costs ~10 s and stopping ~13 s, so tests share it.
/// Every log line of every process is captured; when the collection ends, the lines are scanned for the
/// tokens, codes, secrets and passwords the tests used, and any hit fails the run.
/// </summary>
public class AspireAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly string[] _args;
    private DistributedApplication? _app;

    /// <summary>Two ResourceService instances, so revocation must reach every instance's in-process cache.</summary>
    public AspireAppFixture() : this(["--ResourceService:Replicas=2"])
    {
    }

    protected AspireAppFixture(string[] args) => _args = [.. args, "--ServiceLogLevel=Debug"];

    /// <summary>Everything secret the tests used: none may appear in any log line.</summary>
    public ConcurrentBag<string> Secrets { get; } = [EmulatorUser.Password, "local-client-secret", OtherConnectedApp.ClientSecret];

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(_args).WaitAsync(StartTimeout);
        // The tests log in hundreds of times a second from one address; the per-address limit has tests of its own.
        foreach (var auth in builder.Resources.OfType<ProjectResource>().Where(r => r.Name == "authservice"))
        {
            builder.CreateResourceBuilder(auth)
                .WithEnvironment("OAuthRateLimit__PermitsPerSecond", "100000")
                .WithEnvironment("OAuthRateLimit__Burst", "100000");
        }

        // A second connected app in the same org: its tokens must never open this product's APIs.
        foreach (var emulator in builder.Resources.OfType<ProjectResource>().Where(r => r.Name == "salesforce"))
        {
            builder.CreateResourceBuilder(emulator)
                .WithEnvironment("Emulator__Apps__1__ClientId", OtherConnectedApp.ClientId)
                .WithEnvironment("Emulator__Apps__1__ClientSecret", OtherConnectedApp.ClientSecret)
                .WithEnvironment("Emulator__Apps__1__CallbackUrls__0", OtherConnectedApp.CallbackUrl);
        }

        Configure(builder);

        // The testing builder forwards each resource's console output to this logger factory.
        builder.Services.AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = false);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
        _app = await builder.BuildAsync().WaitAsync(StartTimeout);
        await _app.StartAsync().WaitAsync(StartTimeout);
        foreach (var resource in new[] { "cache", "salesforce", "authservice", "resourceservice", "sampleupstream" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        }

        RememberSecrets(await GetInternalApiKeyAsync());
    }

    /// <summary>Changes a derived fixture makes to the app's resources before it starts.</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        if (_app is null)
        {
            return;
        }

        var leaks = await FindSecretsInLogsAsync();
        await _app.DisposeAsync();
        Assert.True(leaks.Count == 0, $"Secrets reached the logs: {string.Join(" | ", leaks)}");
    }

    public void RememberSecrets(params string?[] secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                Secrets.Add(secret);
            }
        }
    }

    /// <summary>
    /// Every captured line of every process, once the stream has settled: resource output reaches the
    /// test asynchronously, so wait until no new line has arrived for a moment (bounded).
    /// </summary>
    public async Task<IReadOnlyList<string>> CapturedLogLinesAsync()
    {
        var collector = App.Services.GetRequiredService<FakeLogCollector>();
        var giveUpAt = DateTime.UtcNow.AddSeconds(20);
        var count = -1;
        while (collector.Count != count && DateTime.UtcNow < giveUpAt)
        {
            count = collector.Count;
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        return [.. collector.GetSnapshot().Select(r => $"{r.Category}: {r.Message} {r.Exception}")];
    }

    /// <summary>The log lines holding a secret, with the secret masked, naming only where it was seen.</summary>
    public async Task<IReadOnlyList<string>> FindSecretsInLogsAsync()
    {
        var secrets = Secrets.Distinct().ToArray();
        return [.. (await CapturedLogLinesAsync())
            .SelectMany(line => secrets.Where(secret => line.Contains(secret, StringComparison.Ordinal))
                .Select(secret => $"{secret[..Math.Min(4, secret.Length)]}... in {Shorten(line.Replace(secret, "***", StringComparison.Ordinal))}"))];
    }

    /// <summary>A client that follows no redirect and keeps no cookie: the tests see every hop.</summary>
    public HttpClient CreateClient(string resource) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = App.GetEndpoint(resource, "http"),
            Timeout = RequestTimeout,
        };

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200];

    public async Task<string> GetInternalApiKeyAsync()
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(p => p.Name == "internal-api-key");
        return await parameter.GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException("No internal API key.");
    }

    /// <summary>How many requests the emulator has received on <paramref name="path"/> since it started.</summary>
    public async Task<int> CountEmulatorRequestsAsync(string path)
    {
        using var emulator = CreateClient("salesforce");
        var requests = await emulator.GetFromJsonAsync<List<EmulatorRequest>>("/_emulator/requests");
        return requests!.Count(r => r.Path == path);
    }

    public async Task<string> GetPasswordGrantTokenAsync()
    {
        using var auth = CreateClient("authservice");
        using var response = await auth.PostAsync("/oauth2/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = EmulatorUser.Username,
            ["password"] = EmulatorUser.Password,
        }));
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenAnswer>();
        RememberSecrets(token!.AccessToken);
        return token.AccessToken!;
    }

    private sealed record EmulatorRequest(
        [property: JsonPropertyName("method")] string Method,
        [property: JsonPropertyName("path")] string Path);
}

public sealed record TokenAnswer(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("instance_url")] string? InstanceUrl,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("issued_at")] string? IssuedAt,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);

public static class EmulatorPaths
{
    public const string Introspect = "/services/oauth2/introspect";
    public const string Token = "/services/oauth2/token";

    /// <summary>Where the AuthService checks a password-grant token (a Session ID introspection will not answer for).</summary>
    public const string UserInfo = "/services/oauth2/userinfo";
}

/// <summary>Another connected app of the emulator's org, configured for the end-to-end runs only.</summary>
public static class OtherConnectedApp
{
    public const string ClientId = "other-connected-app";
    public const string ClientSecret = "other-connected-app-secret";
    public const string CallbackUrl = "http://localhost/other-app/callback";
}

[CollectionDefinition(Name)]
public sealed class SharedAspireApp : ICollectionFixture<AspireAppFixture>
{
    public const string Name = "Aspire app";
}
