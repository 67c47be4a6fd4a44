using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResourceService.Tests;

/// <summary>
/// The real ResourceService in gateway mode on real Kestrel (127.0.0.1, a port the OS picks), with YARP's
/// <c>ReverseProxy</c> section pointing at <see cref="Upstream"/>, a real server that records every request it
/// receives, and a fake AuthService on real HTTP. Routes: <c>/api/**</c> (no policy named), <c>/scoped/**</c>
/// (policy <c>api</c>), <c>/with-token/**</c> (<c>ForwardAuthorization: true</c>).
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string Token = "00D000000000001!AQ4AQGatewayToken.test";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly Factory _factory;

    private GatewayHost(FakeServer authService, FakeServer upstream, IReadOnlyDictionary<string, string?> settings)
    {
        AuthService = authService;
        Upstream = upstream;
        _factory = new Factory(settings, Logs);
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(address) });
        Client.Timeout = RequestTimeout;
    }

    public FakeServer AuthService { get; }

    /// <summary>The API behind the gateway: answers 200 <c>{"upstream":"ok"}</c> unless a test scripts otherwise.</summary>
    public FakeServer Upstream { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; } = new();

    /// <param name="configure">Changes to the settings: routes, clusters, timeouts (keys as in configuration, <c>:</c>-separated).</param>
    public static async Task<GatewayHost> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var authService = await FakeServer.StartAsync();
        authService.Respond = AuthServiceAnswers.Active();
        var upstream = await FakeServer.StartAsync();
        upstream.Respond = AuthServiceAnswers.Json("""{"upstream":"ok"}""");
        var settings = Settings(authService.Url, upstream.Url);
        configure?.Invoke(settings);
        return new GatewayHost(authService, upstream, settings);
    }

    /// <summary>The settings a deployed gateway would have: the AuthService, the key, and a <c>ReverseProxy</c> section.</summary>
    public static Dictionary<string, string?> Settings(Uri authService, Uri upstream) => new()
    {
        ["AUTH_SERVICE_URL"] = authService.ToString(),
        ["INTERNAL_API_KEY"] = ResourceServiceHost.ApiKey,
        ["ReverseProxy:Routes:api:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:api:Match:Path"] = "/api/{**rest}",
        ["ReverseProxy:Routes:scoped:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:scoped:Match:Path"] = "/scoped/{**rest}",
        ["ReverseProxy:Routes:scoped:AuthorizationPolicy"] = "api",
        ["ReverseProxy:Routes:with-token:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:with-token:Match:Path"] = "/with-token/{**rest}",
        ["ReverseProxy:Routes:with-token:Metadata:ForwardAuthorization"] = "true",
        ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = upstream.ToString(),
    };

    public async Task<HttpResponseMessage> GetAsync(string path, string? token = Token, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>
    /// Writes <paramref name="headerLines"/> onto the wire exactly as given (case, repeats) after a GET request line,
    /// and returns the status code of the answer: header forms no HTTP client would produce.
    /// </summary>
    public async Task<int> SendRawAsync(string path, params string[] headerLines) =>
        (await SendRawAsync("GET", path, headerLines, body: "")).Status;

    /// <summary>Writes the request as given, then reads the answer until the gateway closes the connection.</summary>
    public async Task<(int Status, string Body)> SendRawAsync(string method, string path, string[] headerLines, string body)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Client.BaseAddress!.Host, Client.BaseAddress.Port, timeout.Token);
        await using var stream = tcp.GetStream();
        var request = $"{method} {path} HTTP/1.1\r\nHost: {Client.BaseAddress.Authority}\r\n{string.Join("", headerLines.Select(line => line + "\r\n"))}Connection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync(timeout.Token) ?? "";
        var rest = await reader.ReadToEndAsync(timeout.Token);
        var separator = rest.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), separator < 0 ? "" : rest[(separator + 4)..]);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await AuthService.DisposeAsync();
        await Upstream.DisposeAsync();
        Logs.Dispose();
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, CapturedLogs logs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            // Checklist E40: everything at Trace, so a token reaching a log line cannot hide behind a level.
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.UseSetting("Logging:LogLevel:Yarp", "Trace");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs.Provider));
        }
    }
}
