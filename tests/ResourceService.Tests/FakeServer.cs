using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResourceService.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a port the OS picks. It records every request it gets and
/// answers what the test scripts in <see cref="Respond"/>. Plays the AuthService, the API behind the gateway, and hosts that must
/// never be called.
/// </summary>
public sealed class FakeServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private bool _stopped;

    private FakeServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public Func<HttpContext, Task> Respond { get; set; } = AuthServiceAnswers.Status(HttpStatusCode.NotFound);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeServer? server = null;
        app.Run(async context => await server!.HandleAsync(context));
        await app.StartAsync().WaitAsync(StopTimeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new FakeServer(app, new Uri(address));
        return server;
    }

    /// <summary>Stops listening: from now on, calls to <see cref="Url"/> are refused.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _app.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString())
            : [];
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path,
            context.Request.Headers[InternalApi.ApiKeyHeader].ToString(),
            context.Request.Headers.Authorization.ToString(),
            form,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(value => value ?? "").ToArray(), StringComparer.OrdinalIgnoreCase)));
        try
        {
            await Respond(context);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The ResourceService gave up on a slow or endless answer: what those tests want.
        }
    }
}

/// <summary>
/// One request as the server received it. <c>Target</c> is the path and query; <c>Headers</c> holds every header as
/// Kestrel parsed it, one entry per name (any case) with each line's value kept.
/// </summary>
public sealed record RecordedRequest(
    string Method, string Path, string ApiKey, string Authorization, IReadOnlyDictionary<string, string> Form,
    string Target, IReadOnlyDictionary<string, string[]> Headers)
{
    /// <summary>Every value received for the header <paramref name="name"/>; empty when it was not sent.</summary>
    public string[] Header(string name) => Headers.TryGetValue(name, out var values) ? values : [];
}
