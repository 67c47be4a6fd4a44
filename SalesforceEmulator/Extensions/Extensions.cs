using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SalesforceEmulator.Apis;
using SalesforceEmulator.Protocol;
using SalesforceEmulator.State;

namespace SalesforceEmulator;

/// <summary>Wires the emulator: options, state, middleware and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the emulator's options (validated at start), state and services.</summary>
    public static TBuilder AddSalesforceEmulator<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorDefaults.ConfigurationSection).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<EmulatorDirectory>();
        services.AddSingleton<EmulatorUrls>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AuthorizationCodeStore>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<FaultStore>();
        services.AddSingleton<SigningKey>();
        services.AddSingleton<AccessTokenKeys>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<LoginRateLimit>();
        services.AddSingleton<LoginSessionStore>();

        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, EmulatorJsonContext.Default));
        return builder;
    }

    /// <summary>
    /// Adds the request recorder and fault injector (when the test hooks are on), then the site-prefix rewrite, in front of
    /// routing: routing must see the path without the prefix.
    /// </summary>
    public static WebApplication UseSalesforceEmulator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value.TestHooks)
        {
            app.UseMiddleware<TestHookMiddleware>();
        }

        if (app.Services.GetRequiredService<EmulatorDirectory>().Sites.Count > 0)
        {
            app.UseMiddleware<SitePrefixMiddleware>();
        }

        app.UseRouting();
        return app;
    }

    /// <summary>Maps Salesforce's endpoints, and the test hooks when they are on.</summary>
    public static WebApplication MapSalesforceEmulatorApis(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapTokenApi();
        app.MapAuthorizeApi();
        app.MapIntrospectApi();
        app.MapIdentityApi();
        app.MapRevokeApi();
        app.MapDataApi();
        app.MapDiscoveryApi();
        app.MapLogoutApi();
        app.MapRegistrationApi();
        if (app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value.TestHooks)
        {
            app.MapTestHooksApi();
        }

        return app;
    }
}
