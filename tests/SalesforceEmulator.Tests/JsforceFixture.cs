using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SalesforceEmulator.Tests;

/// <summary>
/// Starts the emulator on a real loopback port (jsforce speaks real HTTP), runs <c>Jsforce/conformance.js</c> against it
/// once, and keeps what the script saw and what the emulator recorded.
/// </summary>
public sealed class JsforceFixture : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private readonly EmulatorFactory _factory = new();

    public string LoginUrl { get; private set; } = "";

    public JsonElement Result { get; private set; }

    public JsonElement Requests { get; private set; }

    public async Task InitializeAsync()
    {
        await NodeProcess.EnsureJsforceInstalledAsync();
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        LoginUrl = address.Replace("[::1]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);

        var (exitCode, output, error) = await NodeProcess.RunAsync(
            "node",
            ["conformance.js", LoginUrl, Salesforce.ClientId, Salesforce.ClientSecret, Salesforce.Callback, Salesforce.Username, Salesforce.Password],
            ScriptTimeout);
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(exitCode == 0 && lastLine is not null, $"node conformance.js failed ({exitCode}): {output}\n{error}");
        using (var document = JsonDocument.Parse(lastLine))
        {
            Result = document.RootElement.Clone();
        }

        using var client = new HttpClient { BaseAddress = new Uri(LoginUrl) };
        using var log = await client.GetAsync(new Uri("/_emulator/requests", UriKind.Relative));
        Requests = await Salesforce.JsonAsync(log);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();
}
