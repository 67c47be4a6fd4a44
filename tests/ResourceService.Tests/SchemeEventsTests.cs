using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ResourceService.Tests;

/// <summary>
/// The package in the framework's shape: events that add claims, refuse a caller or write their own answers,
/// and a registration that is harmless twice and replaces none of the application's services.
/// </summary>
public sealed class SchemeEventsTests
{
    private const string Token = "00D000000000001!AQ4AQFakeAccessToken.events";

    [Fact]
    public async Task OnTokenValidatedChangesTheCallersClaims()
    {
        await using var host = await ResourceServiceHost.StartAsync(services: services => Events(services, events => events.OnTokenValidated = context =>
        {
            var identity = (ClaimsIdentity)context.Principal!.Identity!;
            identity.RemoveClaim(identity.FindFirst(SalesforceClaimTypes.Username));
            identity.AddClaim(new Claim(SalesforceClaimTypes.Username, "renamed@example.com"));
            return Task.CompletedTask;
        }));
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured/me", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("renamed@example.com", body.RootElement.GetProperty("username").GetString());
    }

    [Fact]
    public async Task OnTokenValidatedRefusesACallerWith401AndKeepsItsReasonToItself()
    {
        await using var host = await ResourceServiceHost.StartAsync(services: services => Events(services, events => events.OnTokenValidated = context =>
        {
            context.Fail("internal reason: org 00D000000000001 is suspended");
            return Task.CompletedTask;
        }));
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured", Token);

        await IntrospectionAnswerTests.AssertInvalidTokenAsync(response);
        Assert.DoesNotContain("suspended", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnChallengeCanWriteItsOwnAnswer()
    {
        await using var host = await ResourceServiceHost.StartAsync(services: services => Events(services, events => events.OnChallenge = async context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync($"custom {context.Error}");
        }));
        host.AuthService.Respond = AuthServiceAnswers.Inactive;

        using var response = await host.GetAsync("/secured", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("custom invalid_token", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OnForbiddenSeesTheScopesTheRouteNeeded()
    {
        string? seen = null;
        await using var host = await ResourceServiceHost.StartAsync(services: services => Events(services, events => events.OnForbidden = context =>
        {
            seen = context.RequiredScopes;
            return Task.CompletedTask;
        }));
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: "id web");

        using var response = await host.GetAsync("/secured/api", Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("api", seen);
    }

    [Fact]
    public async Task AddingTheSchemeTwiceIsHarmlessAndReplacesNoApplicationService()
    {
        var services = NewServices();
        var authentication = services.AddAuthentication(SalesforceTokenDefaults.AuthenticationScheme).AddSalesforceToken();
        var once = services.Select(d => d.ServiceType).ToList();

        authentication.AddSalesforceToken(options => options.Realm = "Orders");
        services.AddSalesforceTokenValidation();
        await using var provider = services.BuildServiceProvider();

        // Only the second call's own configuration is added.
        Assert.Equal(once.Count + 1, services.Count);
        Assert.Equal(typeof(IConfigureOptions<SalesforceTokenOptions>), services[^1].ServiceType);
        var schemes = await provider.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Equal(SalesforceTokenDefaults.AuthenticationScheme, Assert.Single(schemes).Name);
        Assert.Equal("Orders", provider.GetRequiredService<IOptionsMonitor<SalesforceTokenOptions>>().Get(SalesforceTokenDefaults.AuthenticationScheme).Realm);
        // The application's own Data Protection and authorization result handling are left as the framework made them.
        Assert.IsNotType<EphemeralDataProtectionProvider>(provider.GetRequiredService<IDataProtectionProvider>());
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler));
    }

    [Fact]
    public void MissingSettingsStopTheApiAtStartNamingTheSetting()
    {
        var services = NewServices(("AUTH_SERVICE_URL", null), ("INTERNAL_API_KEY", "short"));
        services.AddAuthentication().AddSalesforceToken();
        using var provider = services.BuildServiceProvider();

        var missingUrl = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SalesforceTokenValidationOptions>>().Value);

        Assert.Contains("AUTH_SERVICE_URL", missingUrl.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection NewServices(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            settings.Length > 0 ? settings.Select(s => KeyValuePair.Create(s.Key, s.Value)) :
            [
                KeyValuePair.Create<string, string?>("AUTH_SERVICE_URL", "http://127.0.0.1:9"),
                KeyValuePair.Create<string, string?>("INTERNAL_API_KEY", ResourceServiceHost.ApiKey),
            ]).Build();
        var services = new ServiceCollection();
        services.AddLogging().AddSingleton<IConfiguration>(configuration).AddSingleton<IHostEnvironment>(new Environment());
        return services;
    }

    private static void Events(IServiceCollection services, Action<SalesforceTokenEvents> configure) =>
        services.Configure<SalesforceTokenOptions>(SalesforceTokenDefaults.AuthenticationScheme, options => configure(options.Events));

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "Orders";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
