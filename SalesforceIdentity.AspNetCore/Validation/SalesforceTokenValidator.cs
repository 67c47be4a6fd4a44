using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;
using SalesforceIdentity.AspNetCore.AuthServiceClient;
using SalesforceIdentity.AspNetCore.Caching;
using SalesforceIdentity.AspNetCore.Validation;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// Owns everything about a token but the HTTP request it came in: the in-process cache, the per-address limit on
/// unknown tokens, the local verifiers and the call to the AuthService, and the judgment of its answer. The
/// authentication handler only adapts its verdicts (as OpenIddict's validation handler hands each request to its
/// dispatcher); anything else that receives tokens (a gateway, a hub) can ask it too.
/// </summary>
public sealed partial class SalesforceTokenValidator
{
    private readonly LocalValidationCache _cache;
    private readonly UnknownTokenLimiter _limiter;
    private readonly ISalesforceTokenVerifier[] _verifiers;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<TokenHash, Task<TokenVerdict>> _inFlight = new();
    private readonly StringPool _strings = new(capacity: 50_000);

    internal SalesforceTokenValidator(
        LocalValidationCache cache,
        UnknownTokenLimiter limiter,
        IEnumerable<ISalesforceTokenVerifier> verifiers,
        IServiceProvider services,
        TimeProvider time,
        ILogger<SalesforceTokenValidator> logger)
    {
        _cache = cache;
        _limiter = limiter;
        _verifiers = [.. verifiers];
        _services = services;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Judges a well-formed token (<see cref="TokenRules"/>) presented from <paramref name="client"/>. A cached
    /// verdict costs no allocation; a confirmed token in use is asked about again in the background before its
    /// entry ends. Never throws but for <paramref name="cancellationToken"/>.
    /// </summary>
    public ValueTask<TokenVerdict> ValidateAsync(string token, IPAddress? client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!TokenRules.IsWellFormed(token))
        {
            return ValueTask.FromResult(TokenVerdict.Refused(NotValidHere));
        }

        var key = TokenHash.Of(token);
        var now = _time.GetUtcNow();
        if (_cache.TryGet(key, now, out var entry))
        {
            if (entry.Verdict.Kind == TokenVerdictKind.Confirmed && entry.TryStartRefresh(now))
            {
                _ = RefreshAsync(token, key, entry);
            }

            return ValueTask.FromResult(entry.Verdict);
        }

        return LookUpAsync(token, key, client, cancellationToken);
    }

    private const string NotValidHere = "The token is not valid here: expired, revoked, or issued for another app or org.";

    private async ValueTask<TokenVerdict> LookUpAsync(string token, TokenHash key, IPAddress? client, CancellationToken cancellationToken)
    {
        var epoch = _cache.Epoch;
        foreach (var verifier in _verifiers)
        {
            if (await verifier.VerifyAsync(token, cancellationToken) is { } local)
            {
                // Judged in process: judged again there when the entry ends, never refreshed through the AuthService.
                _cache.Store(key, local, epoch, refreshAhead: false);
                return local;
            }
        }

        // Requests that arrive while the token is being looked up share that lookup: one call, one permit.
        if (_inFlight.TryGetValue(key, out var running))
        {
            return await running.WaitAsync(cancellationToken);
        }

        if (!_limiter.TryAcquire(client, out var retryAfter))
        {
            LogUnknownTokensLimited(_logger);
            return TokenVerdict.Limited(retryAfter);
        }

        var flight = new TaskCompletionSource<TokenVerdict>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(key, flight.Task))
        {
            _limiter.Return(client);
            return _inFlight.TryGetValue(key, out running) ? await running.WaitAsync(cancellationToken) : TokenVerdict.Unavailable;
        }

        _ = RunLookUpAsync(token, key, client, epoch, flight);
        return await flight.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The shared lookup, tied to no caller: one giving up fails no other, and the answer is cached for them.</summary>
    private async Task RunLookUpAsync(string token, TokenHash key, IPAddress? client, long epoch, TaskCompletionSource<TokenVerdict> flight)
    {
        try
        {
            var verdict = await IntrospectAsync(token, CancellationToken.None);
            // Only a refusal keeps its permit: the limit is on made-up tokens, not on valid ones or on outages.
            if (verdict.Kind != TokenVerdictKind.Refused)
            {
                _limiter.Return(client);
            }

            _cache.Store(key, verdict, epoch);
            flight.SetResult(verdict);
        }
        finally
        {
            _inFlight.TryRemove(KeyValuePair.Create(key, flight.Task));
            flight.TrySetResult(TokenVerdict.Unavailable);
        }
    }

    /// <summary>Asks again about a token still in use, while its entry is still served.</summary>
    private async Task RefreshAsync(string token, TokenHash key, CacheEntry entry)
    {
        var epoch = _cache.Epoch;
        var verdict = await IntrospectAsync(token, CancellationToken.None);
        // The same answer as before: the caller, its claims and its result are kept, only their life is extended.
        if (verdict.Caller is { } fresh && entry.Verdict.Caller is { } known && fresh.Introspection == known.Introspection)
        {
            verdict = entry.Verdict;
        }

        if (verdict.Kind is TokenVerdictKind.Confirmed or TokenVerdictKind.Refused)
        {
            _cache.Store(key, verdict, epoch);
        }
        else
        {
            entry.RefreshFailed(_time.GetUtcNow());
        }
    }

    private async Task<TokenVerdict> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        IApiResponse<IntrospectionResponse>? response = null;
        try
        {
            // Resolved only on a miss: a cached token costs no client creation.
            var authService = _services.GetRequiredService<IAuthServiceApi>();
            using var form = new IntrospectionRequest { Token = token }.ToContent();
            response = await authService.IntrospectAsync(form, cancellationToken);
            return Judge(response);
        }
        // Fail closed on whatever the hop throws (refused, reset, timeout, open breaker, oversized or
        // undecodable answer): the caller gets a 503, never a 200 and never an unhandled 500.
#pragma warning disable CA1031
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogAuthServiceUnavailable(_logger, ex.GetType().Name);
            return TokenVerdict.Unavailable;
        }
        finally
        {
            response?.Dispose();
        }
    }

    private TokenVerdict Judge(IApiResponse<IntrospectionResponse> response)
    {
        if (response.StatusCode != HttpStatusCode.OK || response.Error is not null || response.Content is not { } content)
        {
            // A 401 means our own API key was refused: a configuration fault, not the caller's.
            LogAuthServiceUnavailable(_logger, response.Error is { } error ? $"status {(int?)response.StatusCode}, {error.GetType().Name}" : $"status {(int?)response.StatusCode}");
            return TokenVerdict.Unavailable;
        }

        if (!content.Active)
        {
            return TokenVerdict.Refused(NotValidHere);
        }

        if (content.UserId is null || content.OrganizationId is null)
        {
            LogAuthServiceUnavailable(_logger, "an active answer without user_id or organization_id");
            return TokenVerdict.Unavailable;
        }

        // The AuthService checks both; checked again so a mistake there cannot let a refresh or expired token in.
        if ((content.TokenType is not null && content.TokenType != IntrospectionResponse.AccessTokenType)
            || (content.ExpiresAt is { } expiresAt && expiresAt <= _time.GetUtcNow().ToUnixTimeSeconds()))
        {
            return TokenVerdict.Refused("The token is not an unexpired access token.");
        }

        // Kept for as long as the token is cached: the values callers share are held once.
        var kept = new IntrospectionResponse(true, _strings.Get(content.Subject), _strings.Get(content.UserId), _strings.Get(content.OrganizationId),
            _strings.Get(content.Username), _strings.Get(content.InstanceUrl), _strings.Get(content.Scope), _strings.Get(content.ClientId),
            _strings.Get(content.TokenType), content.ExpiresAt);
        return TokenVerdict.Confirmed(new ConfirmedCaller(kept, _strings.Get));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AuthService could not validate a token: {Reason}")]
    private static partial void LogAuthServiceUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A client address looked up too many unknown tokens; answered 429")]
    private static partial void LogUnknownTokensLimited(ILogger logger);
}
