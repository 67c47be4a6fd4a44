using AuthService.Flow;
using AuthService.Salesforce;
using AuthService.Tokens;
using Microsoft.Extensions.Options;
using SalesforceIdentity.Hosting;

namespace AuthService;

internal static class Extensions
{
    /// <summary>Registers options, Redis, Data Protection, the Salesforce client and the token validator.</summary>
    public static void AddAuthService(this IHostApplicationBuilder builder)
    {
        // The Node.js demo's Heroku config var names keep working.
        builder.AddSettingAliases(
            ("LOGIN_URL", "Salesforce:LoginUrl"),
            ("CLIENT_ID", "Salesforce:ClientId"),
            ("CLIENT_SECRET_ID", "Salesforce:ClientSecret"),
            ("REDIRECT_URI", "Salesforce:RedirectUri"));

        builder.Services.AddOptions<SalesforceOptions>()
            .BindConfiguration(SalesforceOptions.SectionName)
            .PostConfigure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
                options.ApplyHostingDefaults(DotEnv.IsLocal(configuration), Deployment.IsDeployed(environment, configuration)))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>();

        builder.Services.AddOptions<InternalApiOptions>()
            .Configure<IConfiguration>((options, configuration) => options.ApiKey = configuration[InternalApiOptions.SettingName] ?? "")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<InternalApiOptions>, InternalApiOptionsValidator>();

        builder.Services.AddOptions<TokenCacheOptions>()
            .BindConfiguration(TokenCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddRedisFromEnvironment(AuthDefaults.RedisConnectionName, required: true);
        builder.Services.AddOptions<RedisCallOptions>()
            .BindConfiguration(RedisCallOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RedisCalls>();

        builder.AddSharedKeyRing();
        builder.RestrictHostsWhenDeployed();

        builder.Services.AddSalesforceClient();
        builder.Services.AddHealthChecks().AddCheck<SalesforceHealthCheck>("salesforce");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuthMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(AuthMetrics.MeterName));
        builder.Services.AddSingleton<LoginFlowStore>();
        builder.Services.AddSingleton<CacheSeal>();
        builder.Services.AddSingleton<RevocationMemory>();
        builder.Services.AddHostedService<RevocationSubscriber>();
        builder.Services.AddSingleton<TokenCache>();
        builder.Services.AddSingleton<PasswordSessions>();
        builder.Services.AddSingleton<TokenValidator>();
        builder.Services.AddSingleton<StateCookie>();
        builder.Services.AddSingleton<RefreshCoordinator>();
        builder.Services.AddSingleton<TokenFamilies>();

        builder.AddRateLimits();
        builder.AddApiDocumentation();

        builder.Services.AddExceptionHandler<UpstreamExceptionHandler>();
        builder.Services.AddProblemDetails();
    }
}
