using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SalesforceEmulator.Tests;

/// <summary>
/// Starts the emulator on a real loopback port (the clients under test speak real HTTP), runs one node script of
/// <c>Jsforce/</c> against it once, and keeps what the script saw and what the emulator recorded.
/// </summary>
public abstract class NodeScriptFixture : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private EmulatorFactory? _factory;

    public string LoginUrl { get; private set; } = "";

    public JsonElement Result { get; private set; }

    public JsonElement Requests { get; private set; }

    public async Task InitializeAsync()
    {
        await NodeProcess.EnsureJsforceInstalledAsync();
        _factory = CreateEmulator();
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        LoginUrl = address.Replace("[::1]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);

        var (exitCode, output, error) = await NodeProcess.RunAsync("node", ScriptArguments(LoginUrl), ScriptTimeout);
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(exitCode == 0 && lastLine is not null, $"node {string.Join(' ', ScriptArguments(LoginUrl).Take(1))} failed ({exitCode}): {output}\n{error}");
        using (var document = JsonDocument.Parse(lastLine))
        {
            Result = document.RootElement.Clone();
        }

        using var client = new HttpClient { BaseAddress = new Uri(LoginUrl) };
        using var log = await client.GetAsync(new Uri("/_emulator/requests", UriKind.Relative));
        Requests = await Salesforce.JsonAsync(log);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _factory?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The emulator the script runs against.</summary>
    protected abstract EmulatorFactory CreateEmulator();

    /// <summary>The script and its arguments.</summary>
    protected abstract IReadOnlyList<string> ScriptArguments(string loginUrl);
}

/// <summary>jsforce 3 (<c>Jsforce/conformance.js</c>) against the emulator's defaults, on the fake clock.</summary>
public sealed class JsforceFixture : NodeScriptFixture
{
    protected override EmulatorFactory CreateEmulator() => new();

    protected override IReadOnlyList<string> ScriptArguments(string loginUrl) =>
        ["conformance.js", loginUrl, Salesforce.ClientId, Salesforce.ClientSecret, Salesforce.Callback, Salesforce.Username, Salesforce.Password];
}

/// <summary>
/// openid-client 6 (<c>Jsforce/openid-client.mjs</c>) on the machine's clock, as the library checks id_token times against
/// its own; the default app registers a post-logout redirect URI.
/// </summary>
public sealed class OpenIdClientFixture : NodeScriptFixture
{
    public const string PostLogoutRedirectUri = "http://localhost:5101/signed-out";

    protected override EmulatorFactory CreateEmulator() =>
        new(new Dictionary<string, string?> { ["Emulator:PostLogoutRedirectUrl"] = PostLogoutRedirectUri }) { SystemClock = true };

    protected override IReadOnlyList<string> ScriptArguments(string loginUrl) =>
        ["openid-client.mjs", loginUrl, Salesforce.ClientId, Salesforce.ClientSecret, Salesforce.Callback, PostLogoutRedirectUri, Salesforce.Username, Salesforce.Password];
}
