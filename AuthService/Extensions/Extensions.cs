using AuthService.Flow;
using AuthService.Salesforce;
using AuthService.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using SalesforceIdentity.Hosting;
using StackExchange.Redis;

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
            .PostConfigure<IConfiguration>((options, configuration) => options.ApplyLocalModeDefaults(DotEnv.IsLocal(configuration)))
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

        // Keys in Redis with one application name: a cookie from one instance (or before a restart) opens on another.
        builder.Services.AddDataProtection().SetApplicationName(AuthDefaults.DataProtectionApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) => options.XmlRepository =
                new RedisXmlRepository(() => redis.GetDatabase(), AuthDefaults.DataProtectionKeysRedisKey));

        builder.AddSalesforceClient();
        builder.Services.AddHealthChecks().AddCheck<SalesforceHealthCheck>("salesforce");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuthMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(AuthMetrics.MeterName));
        builder.Services.AddSingleton<LoginFlowStore>();
        builder.Services.AddSingleton<TokenCache>();
        builder.Services.AddSingleton<TokenValidator>();
        builder.Services.AddSingleton<StateCookie>();
        builder.Services.AddSingleton<RefreshCoordinator>();
        builder.Services.AddSingleton<TokenFamilies>();

        builder.AddIntrospectionRateLimiting();
        builder.AddApiDocumentation();

        builder.Services.AddExceptionHandler<UpstreamExceptionHandler>();
        builder.Services.AddProblemDetails();
    }
}
