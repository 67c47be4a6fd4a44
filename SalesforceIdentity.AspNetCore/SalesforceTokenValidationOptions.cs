using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// Where the AuthService is, the key to present to it, and the caches and limits in front of it. Read from
/// configuration: <c>AUTH_SERVICE_URL</c> (else Aspire's <c>services__authservice__*</c>), <c>INTERNAL_API_KEY</c>,
/// <c>REDIS_URL</c> (else <c>ConnectionStrings__cache</c>), and the sections <c>LocalCache</c> and <c>UnknownTokens</c>.
/// </summary>
public sealed class SalesforceTokenValidationOptions
{
    /// <summary>The AuthService's absolute base URL.</summary>
    public string? AuthServiceUrl { get; set; }

    /// <summary>The internal API key the AuthService expects (at least 16 characters).</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Budget of one call: longer than the AuthService's own Salesforce budget (3 s), so its 503 arrives as such.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The Redis that carries the AuthService's revocations: a <c>redis://</c> or <c>rediss://</c> URL, or a
    /// StackExchange.Redis configuration string. Without it the in-process cache of confirmed callers stays off.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The in-process cache of confirmed callers.</summary>
    public LocalCacheOptions LocalCache { get; } = new();

    /// <summary>The per-client-address limit on lookups of unknown tokens, and the cache of refused ones.</summary>
    public UnknownTokenOptions UnknownTokens { get; } = new();

    /// <summary>JWT-based access tokens, checked in process (configuration section <c>Salesforce</c>).</summary>
    public JwtAccessTokenOptions Jwt { get; } = new();

    /// <summary>Reads the settings from configuration; what code sets afterwards wins.</summary>
    internal void Bind(IConfiguration configuration)
    {
        AuthServiceUrl ??= NonEmpty(configuration[SalesforceTokenDefaults.AuthServiceUrlSetting])
            ?? NonEmpty(configuration[$"services:{SalesforceTokenDefaults.AuthServiceName}:https:0"])
            ?? NonEmpty(configuration[$"services:{SalesforceTokenDefaults.AuthServiceName}:http:0"]);
        if (ApiKey.Length == 0)
        {
            ApiKey = configuration[InternalApi.ApiKeySetting] ?? "";
        }

        Redis ??= NonEmpty(configuration[RedisUrl.Setting]) ?? NonEmpty(configuration.GetConnectionString(SalesforceTokenDefaults.RedisConnectionName));
        configuration.GetSection(LocalCacheOptions.SectionName).Bind(LocalCache);
        configuration.GetSection(UnknownTokenOptions.SectionName).Bind(UnknownTokens);
        configuration.GetSection(JwtAccessTokenOptions.SectionName).Bind(Jwt);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>The in-process cache of confirmed callers (configuration section <c>LocalCache</c>).</summary>
public sealed class LocalCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LocalCache";

    /// <summary>On by default; it serves only while revocations can be heard (Redis configured and connected).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Longest time a confirmed token is trusted without asking the AuthService (at most 10 minutes). Revocations
    /// through the AuthService arrive at once; this bounds only what is revoked at Salesforce behind its back, which
    /// the AuthService's own cache (<c>TokenCache__MaxTtl</c>, 5 minutes) already lets through for longer. A minute
    /// halves the background refreshes of 30 s and costs no safety: 10,000 tokens in use cost about 240 a second.
    /// </summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A token still in use is asked about again in the background once this share of its entry's life has passed,
    /// at a random point between this and 90 %, so that many entries cached together are not refreshed together.
    /// </summary>
    public double RefreshAfter { get; set; } = 0.5;

    /// <summary>Most entries kept (confirmed and refused tokens together).</summary>
    public int MaxEntries { get; set; } = 100_000;
}

/// <summary>Lookups of tokens this instance does not know (configuration section <c>UnknownTokens</c>).</summary>
public sealed class UnknownTokenOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "UnknownTokens";

    /// <summary>
    /// Lookups per second one client address may make of tokens this instance does not know. Each takes a permit
    /// while it runs; only a token the AuthService refuses keeps it (a confirmed token, or an AuthService that
    /// could not answer, gives it back), so the limit bites on made-up tokens, not on users with new valid ones.
    /// 0 turns the limit off. One a second, since only made-up (or revoked) tokens spend them: with
    /// <see cref="Burst"/>, 200 made-up tokens sent from one address within 10 s cost Salesforce at most 50 calls.
    /// </summary>
    public double PermitsPerSecond { get; set; } = 1;

    /// <summary>Lookups one address may have running, or refused recently, before it has to wait.</summary>
    public int Burst { get; set; } = 40;

    /// <summary>How long a token the AuthService called inactive is refused without asking again; 0 turns it off.</summary>
    public TimeSpan InactiveTtl { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>How JWT-based access tokens are checked (configuration section <c>Salesforce</c>: <c>Salesforce__JwtAccessTokens</c>, ...).</summary>
public sealed class JwtAccessTokenOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Salesforce";

    /// <summary>
    /// <see cref="JwtAccessTokenMode.Local"/> (the default): a token shaped as a JWT is checked in process, with the keys of
    /// the AuthService's configured My Domains, while revocations are heard; <see cref="JwtAccessTokenMode.Off"/>: every
    /// token is asked of the AuthService. Opaque tokens are never affected.
    /// </summary>
    public JwtAccessTokenMode JwtAccessTokens { get; set; } = JwtAccessTokenMode.Local;

    /// <summary>
    /// Clock difference allowed with Salesforce, on <c>exp</c> and <c>nbf</c> (at most 30 s), and the margin by which a token
    /// must be issued after this instance began hearing revocations to be trusted without the AuthService.
    /// </summary>
    public TimeSpan JwtClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Shortest time between two fetches of a My Domain's keys caused by tokens with an unknown <c>kid</c>.</summary>
    public TimeSpan JwtKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Whether JWT-based access tokens are checked in process.</summary>
public enum JwtAccessTokenMode
{
    /// <summary>Every token is asked of the AuthService, as an opaque one.</summary>
    Off,

    /// <summary>Checked in process (signature, issuer, audience, client, org, lifetime); no call for a new valid token.</summary>
    Local,
}

/// <summary>Stops the API at start, with one line naming the setting, when a setting is missing or out of range.</summary>
internal sealed class SalesforceTokenValidationOptionsValidator : IValidateOptions<SalesforceTokenValidationOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceTokenValidationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.AuthServiceUrl))
        {
            return ValidateOptionsResult.Fail("AUTH_SERVICE_URL must be set to the AuthService's base URL, e.g. https://my-auth.herokuapp.com.");
        }

        if (!Uri.TryCreate(options.AuthServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return ValidateOptionsResult.Fail("AUTH_SERVICE_URL must be the AuthService's absolute base URL, e.g. https://my-auth.herokuapp.com.");
        }

        if (options.ApiKey.Length < InternalApi.MinimumApiKeyLength)
        {
            return ValidateOptionsResult.Fail($"INTERNAL_API_KEY must be set to the AuthService's internal API key (at least {InternalApi.MinimumApiKeyLength} characters).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > TimeSpan.FromSeconds(25))
        {
            return ValidateOptionsResult.Fail("AttemptTimeout must be between 0 and 25 seconds (Heroku's router gives up at 30).");
        }

        if (options.Redis is { } redis && redis.StartsWith("redis", StringComparison.OrdinalIgnoreCase) && redis.Contains("://", StringComparison.Ordinal)
            && !(Uri.TryCreate(redis, UriKind.Absolute, out var redisUrl) && redisUrl.Scheme is "redis" or "rediss"))
        {
            return ValidateOptionsResult.Fail("REDIS_URL must be a redis:// or rediss:// URL.");
        }

        var cache = options.LocalCache;
        if (cache.Ttl < TimeSpan.Zero || cache.Ttl > TimeSpan.FromMinutes(10))
        {
            return ValidateOptionsResult.Fail("LocalCache__Ttl must be between 00:00:00 and 00:10:00.");
        }

        if (cache.RefreshAfter is < 0.1 or > 0.9)
        {
            return ValidateOptionsResult.Fail("LocalCache__RefreshAfter must be between 0.1 and 0.9.");
        }

        if (cache.MaxEntries is < 1 or > 10_000_000)
        {
            return ValidateOptionsResult.Fail("LocalCache__MaxEntries must be between 1 and 10000000.");
        }

        var unknown = options.UnknownTokens;
        if (unknown.PermitsPerSecond is < 0 or > 1_000_000 || double.IsNaN(unknown.PermitsPerSecond))
        {
            return ValidateOptionsResult.Fail("UnknownTokens__PermitsPerSecond must be between 0 (off) and 1000000.");
        }

        if (unknown.Burst is < 1 or > 1_000_000)
        {
            return ValidateOptionsResult.Fail("UnknownTokens__Burst must be between 1 and 1000000.");
        }

        if (unknown.InactiveTtl < TimeSpan.Zero || unknown.InactiveTtl > TimeSpan.FromSeconds(30))
        {
            return ValidateOptionsResult.Fail("UnknownTokens__InactiveTtl must be between 00:00:00 and 00:00:30.");
        }

        var jwt = options.Jwt;
        if (!Enum.IsDefined(jwt.JwtAccessTokens))
        {
            return ValidateOptionsResult.Fail("Salesforce__JwtAccessTokens must be Off or Local.");
        }

        if (jwt.JwtClockSkew < TimeSpan.Zero || jwt.JwtClockSkew > TimeSpan.FromSeconds(30))
        {
            return ValidateOptionsResult.Fail("Salesforce__JwtClockSkew must be between 00:00:00 and 00:00:30.");
        }

        if (jwt.JwtKeyRefreshInterval < TimeSpan.FromSeconds(1) || jwt.JwtKeyRefreshInterval > TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail("Salesforce__JwtKeyRefreshInterval must be between 00:00:01 and 01:00:00.");
        }

        return ValidateOptionsResult.Success;
    }
}
