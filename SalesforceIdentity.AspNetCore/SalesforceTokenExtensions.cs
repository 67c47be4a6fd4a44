using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SalesforceIdentity.AspNetCore;
using SalesforceIdentity.AspNetCore.AuthServiceClient;
using SalesforceIdentity.AspNetCore.Caching;
using SalesforceIdentity.AspNetCore.Jwt;
using SalesforceIdentity.AspNetCore.Validation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Salesforce token authentication, in the shape of <c>AddJwtBearer</c>.</summary>
public static class SalesforceTokenExtensions
{
    /// <summary>
    /// Adds the <see cref="SalesforceTokenDefaults.AuthenticationScheme"/> scheme: Salesforce access tokens from
    /// <c>Authorization: Bearer</c>, checked by the AuthService (<c>AUTH_SERVICE_URL</c>, <c>INTERNAL_API_KEY</c>),
    /// known callers kept in process while revocations are heard over Redis (<c>REDIS_URL</c>).
    /// </summary>
    public static AuthenticationBuilder AddSalesforceToken(this AuthenticationBuilder builder) =>
        builder.AddSalesforceToken(SalesforceTokenDefaults.AuthenticationScheme, configure: null);

    /// <inheritdoc cref="AddSalesforceToken(AuthenticationBuilder)"/>
    public static AuthenticationBuilder AddSalesforceToken(this AuthenticationBuilder builder, Action<SalesforceTokenOptions>? configure) =>
        builder.AddSalesforceToken(SalesforceTokenDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Adds a Salesforce token scheme named <paramref name="authenticationScheme"/>. Calling it again for the same
    /// scheme only applies <paramref name="configure"/> too; the services it needs are added once.
    /// </summary>
    public static AuthenticationBuilder AddSalesforceToken(this AuthenticationBuilder builder, string authenticationScheme, Action<SalesforceTokenOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        builder.Services.AddSalesforceTokenValidation();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SalesforceTokenOptions>, SalesforceTokenPostConfigureOptions>());

        var marker = new SchemeMarker(authenticationScheme);
        if (builder.Services.Any(d => d.ServiceType == typeof(SchemeMarker) && Equals(d.ImplementationInstance, marker)))
        {
            if (configure is not null)
            {
                builder.Services.Configure(authenticationScheme, configure);
            }

            return builder;
        }

        builder.Services.AddSingleton(marker);
        return builder.AddScheme<SalesforceTokenOptions, SalesforceTokenHandler>(authenticationScheme, displayName: null, configure);
    }

    /// <summary>
    /// Adds <see cref="SalesforceTokenValidator"/> and what it needs (the AuthService client, the in-process cache
    /// and its revocation listener, the limit on unknown tokens, the in-process check of JWT-based access tokens), with settings read from configuration and checked
    /// at start. <c>AddSalesforceToken</c> calls it; call it yourself to validate tokens outside authentication.
    /// Nothing global is replaced, and a second call adds nothing.
    /// </summary>
    public static IServiceCollection AddSalesforceTokenValidation(this IServiceCollection services, Action<SalesforceTokenValidationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(SalesforceTokenValidator)))
        {
            AddValidationServices(services);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    private static void AddValidationServices(IServiceCollection services)
    {
        // Configuration first, so that code (Configure, PostConfigure) wins over it.
        services.AddOptions<SalesforceTokenValidationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SalesforceTokenValidationOptions>, BindFromConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceTokenValidationOptions>, SalesforceTokenValidationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalValidationCache>();
        services.TryAddSingleton<UnknownTokenLimiter>();
        services.TryAddSingleton<RevokedTokens>();
        services.TryAddSingleton<ValidationSettingsSource>();
        services.TryAddSingleton<JwtSigningKeys>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISalesforceTokenVerifier, JwtAccessTokenVerifier>());
        services.TryAddSingleton(provider => new SalesforceTokenValidator(
            provider.GetRequiredService<LocalValidationCache>(),
            provider.GetRequiredService<UnknownTokenLimiter>(),
            provider.GetServices<ISalesforceTokenVerifier>(),
            provider,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Logging.ILogger<SalesforceTokenValidator>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RevocationListener>());
        services.AddAuthServiceClient();
        services.AddJwtKeysClient();
    }

    private sealed class BindFromConfiguration(IConfiguration configuration) : IConfigureOptions<SalesforceTokenValidationOptions>
    {
        public void Configure(SalesforceTokenValidationOptions options) => options.Bind(configuration);
    }

    private sealed record SchemeMarker(string Scheme);
}
