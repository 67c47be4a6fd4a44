using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResourceService.Tests;

/// <summary>
/// The real ResourceService in memory, configured with <c>AUTH_SERVICE_URL</c> pointing at a fake AuthService
/// on real HTTP. Every HttpClient it creates records its requests in <see cref="Outbound"/>; a canary
/// server stands for every host that must never be called.
/// </summary>
public sealed class ResourceServiceHost : IAsyncDisposable
{
    public const string ApiKey = "test-internal-api-key-5c0e1f2d9a";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly Factory _factory;

    private ResourceServiceHost(FakeServer authService, FakeServer canary, TimeSpan? attemptTimeout, string? redis, TimeProvider? time, Action<IServiceCollection>? services)
    {
        AuthService = authService;
        Canary = canary;
        _factory = new Factory(authService.Url, attemptTimeout, Outbound, Logs, redis, time, services);
        Client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Client.Timeout = RequestTimeout;
    }

    public FakeServer AuthService { get; }

    /// <summary>A live server that must see no request, whatever a caller sends.</summary>
    public FakeServer Canary { get; }

    public OutboundLog Outbound { get; } = new();

    public CapturedLogs Logs { get; } = new();

    public HttpClient Client { get; }

    /// <param name="attemptTimeout">
    /// Only for tests of a stalling AuthService, to keep them short; the others keep the product's budget so a
    /// busy test machine cannot turn their answer into a timeout.
    /// </param>
    /// <param name="redis">A Redis connection string: turns the in-process cache and its revocation listener on.</param>
    /// <param name="time">A clock for the handler and the in-process cache.</param>
    /// <param name="services">Changes to the service's registrations: scheme events, options.</param>
    public static async Task<ResourceServiceHost> StartAsync(TimeSpan? attemptTimeout = null, string? redis = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var authService = await FakeServer.StartAsync();
        var canary = await FakeServer.StartAsync();
        canary.Respond = AuthServiceAnswers.Active();
        return new ResourceServiceHost(authService, canary, attemptTimeout, redis, time, services);
    }

    /// <summary>The in-process cache of the service under test.</summary>
    internal LocalValidationCache LocalCache => _factory.Services.GetRequiredService<LocalValidationCache>();

    /// <summary>The service's registrations.</summary>
    internal IServiceProvider Services => _factory.Services;

    public async Task<HttpResponseMessage> GetAsync(string path, string? token = null, params (string Name, string Value)[] headers)
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

    /// <summary>Builds the request by hand, for header values no HTTP client would send.</summary>
    public Task<HttpContext> SendRawAsync(string path, Action<HttpRequest> configure) =>
        _factory.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = path;
            configure(context.Request);
        }).WaitAsync(RequestTimeout);

    /// <summary>Every outbound request went to the AuthService, <paramref name="count"/> of them, and none anywhere else.</summary>
    public void AssertOnlyAuthServiceCalled(int count)
    {
        Assert.Equal(count, Outbound.Requests.Count);
        Assert.All(Outbound.Requests, uri => Assert.Equal(AuthService.Url.Authority, uri.Authority));
        Assert.All(Outbound.Requests, uri => Assert.Equal("/oauth2/introspect", uri.AbsolutePath));
        Assert.Empty(Canary.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await AuthService.DisposeAsync();
        await Canary.DisposeAsync();
        Logs.Dispose();
    }

    private sealed class Factory(Uri authServiceUrl, TimeSpan? attemptTimeout, OutboundLog outbound, CapturedLogs logs, string? redis, TimeProvider? time, Action<IServiceCollection>? configure)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("AUTH_SERVICE_URL", authServiceUrl.ToString());
            if (redis is not null)
            {
                builder.UseSetting("ConnectionStrings:cache", redis);
            }

            builder.UseSetting("INTERNAL_API_KEY", ApiKey);
            // Checklist E40: everything at Trace, overriding appsettings.json, so a leak cannot hide behind a level.
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs.Provider));
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<Microsoft.Extensions.Http.IHttpMessageHandlerBuilderFilter>(new InnermostRecorderFilter(outbound));
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                if (attemptTimeout is { } timeout)
                {
                    services.PostConfigure<SalesforceTokenValidationOptions>(options => options.AttemptTimeout = timeout);
                }

                configure?.Invoke(services);
            });
        }
    }
}
