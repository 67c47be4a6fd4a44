using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SalesforceIdentity.AspNetCore.AuthServiceClient;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.Jwt;

/// <summary>
/// The AuthService's <see cref="ValidationSettings"/>, asked for when the first JWT-shaped token arrives (an API that never
/// sees one never calls), kept, and asked for again in the background every few minutes while in use. While they are
/// unknown (the AuthService down, or an older one without the route) JWT-based tokens are asked of the AuthService.
/// </summary>
internal sealed partial class ValidationSettingsSource(IServiceProvider services, TimeProvider time, ILogger<ValidationSettingsSource> logger)
{
    /// <summary>How long settings are used before they are asked for again (the old ones serve meanwhile).</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(5);

    /// <summary>How long after a failed attempt the next one is made: the AuthService is not asked once per request.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private Known? _known;
    private Task<ValidationSettings?>? _fetch;
    private long _nextAttemptTicks;

    /// <summary>The settings, or null while they are unknown.</summary>
    public ValueTask<ValidationSettings?> GetAsync()
    {
        var now = time.GetUtcNow().UtcTicks;
        var known = Volatile.Read(ref _known);
        if (known is not null && now < known.FreshUntilTicks)
        {
            return ValueTask.FromResult<ValidationSettings?>(known.Settings);
        }

        Task<ValidationSettings?> fetch;
        lock (_lock)
        {
            if (now < _nextAttemptTicks)
            {
                return ValueTask.FromResult(known?.Settings);
            }

            fetch = _fetch ??= FetchAsync();
        }

        // Stale settings serve while new ones are fetched; only the very first request waits.
        return known is not null ? ValueTask.FromResult<ValidationSettings?>(known.Settings) : new ValueTask<ValidationSettings?>(fetch);
    }

    private async Task<ValidationSettings?> FetchAsync()
    {
        await Task.Yield();
        ValidationSettings? settings = null;
        try
        {
            var authService = services.GetRequiredService<IAuthServiceApi>();
            using var response = await authService.GetValidationSettingsAsync(CancellationToken.None);
            if (response is { IsSuccessStatusCode: true, Content: { } content } && content.ClientId.Length > 0)
            {
                settings = content;
                Volatile.Write(ref _known, new Known(settings, (time.GetUtcNow() + FreshFor).UtcTicks));
            }
            else
            {
                LogUnknown(logger, $"status {(int?)response.StatusCode}");
            }
        }
        // Whatever the hop throws: the settings stay as they were, and JWT-based tokens go to the AuthService meanwhile.
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnknown(logger, ex.GetType().Name);
        }

        lock (_lock)
        {
            _fetch = null;
            _nextAttemptTicks = settings is null ? (time.GetUtcNow() + RetryAfterFailure).UtcTicks : 0;
        }

        return settings ?? Volatile.Read(ref _known)?.Settings;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The AuthService's validation settings could not be read ({Reason}): JWT-based tokens are asked of the AuthService until they can")]
    private static partial void LogUnknown(ILogger logger, string reason);

    private sealed record Known(ValidationSettings Settings, long FreshUntilTicks);
}
