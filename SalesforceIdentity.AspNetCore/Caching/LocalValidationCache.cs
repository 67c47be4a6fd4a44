using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.Caching;

/// <summary>
/// Verdicts kept in process, so that a known token costs a hash and a dictionary lookup instead of an HTTP hop.
/// Keyed by the token's SHA-256 as a fixed-size value (no string per request). Confirmed callers are kept for
/// min(TTL, the token's expiry) and served only while <see cref="RevocationListener"/> hears revocations; when
/// the link drops the cache empties itself and steps aside until it is back. Refused tokens are kept a few
/// seconds whatever the link, since a revocation can only make them more refused.
/// </summary>
internal sealed class LocalValidationCache : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly SalesforceTokenValidationOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<TokenHash, CacheEntry> _entries = new();
    private readonly ITimer _sweeper;
    private int _count;
    private long _epoch;
    private volatile bool _listening;
    private long _listeningSinceTicks;

    public LocalValidationCache(IOptions<SalesforceTokenValidationOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _sweeper = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    /// <summary>True when confirmed callers may be served: enabled, and revocations are being heard.</summary>
    public bool Active => _options.LocalCache.Enabled && _listening;

    /// <summary>
    /// Since when every revocation has been heard, without a break; null while it may not be. A JWT-based access token
    /// issued before this may have been revoked unheard, so only the AuthService can vouch for it.
    /// </summary>
    public DateTimeOffset? ListeningSince => _listening ? new DateTimeOffset(Interlocked.Read(ref _listeningSinceTicks), TimeSpan.Zero) : null;

    /// <summary>Changes on every eviction: a validation that saw it change while in flight is not cached.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Entries held, confirmed and refused.</summary>
    public int Count => Volatile.Read(ref _count);

    public static TokenHash KeyFor(string token) => TokenHash.Of(token);

    public bool TryGet(TokenHash key, out CacheEntry entry) => TryGet(key, _time.GetUtcNow(), out entry);

    public bool TryGet(TokenHash key, DateTimeOffset now, out CacheEntry entry)
    {
        // The deadline is checked on this service's clock at every read, not only by the sweeper.
        if (!_entries.TryGetValue(key, out entry!) || now.UtcTicks >= entry.UntilTicks)
        {
            return false;
        }

        return entry.Verdict.Kind != TokenVerdictKind.Confirmed || Active;
    }

    /// <summary>When the caller cached under <paramref name="key"/> says its token expires, if one is cached.</summary>
    public DateTimeOffset? ExpiresAt(TokenHash key) =>
        _entries.TryGetValue(key, out var entry) && entry.Verdict.Caller?.Introspection.ExpiresAt is { } expiresAt ? DateTimeOffset.FromUnixTimeSeconds(expiresAt) : null;

    /// <summary>
    /// Keeps a confirmed or refused verdict, unless a revocation arrived since <paramref name="epochBefore"/>. Without
    /// <paramref name="refreshAhead"/> (a verdict reached in process) the entry simply ends, and the next request judges again.
    /// </summary>
    public void Store(TokenHash key, TokenVerdict verdict, long epochBefore, bool refreshAhead = true)
    {
        var now = _time.GetUtcNow();
        CacheEntry entry;
        if (verdict is { Kind: TokenVerdictKind.Confirmed, Caller.Introspection.ExpiresAt: { } expiresAt })
        {
            if (!Active)
            {
                return;
            }

            var untilExpiry = DateTimeOffset.FromUnixTimeSeconds(expiresAt) - now;
            var ttl = untilExpiry < _options.LocalCache.Ttl ? untilExpiry : _options.LocalCache.Ttl;
            if (ttl <= TimeSpan.Zero)
            {
                return;
            }

            // Refreshing ahead helps only when the token outlives the entry; at a random point, so that entries
            // stored together (a burst of new users, a restart) are not all asked about again together.
            var from = _options.LocalCache.RefreshAfter;
            var refreshAt = refreshAhead && untilExpiry > ttl ? now + (ttl * (from + (Random.Shared.NextDouble() * (0.9 - from)))) : DateTimeOffset.MaxValue;
            entry = new CacheEntry(verdict, (now + ttl).UtcTicks, refreshAt.UtcTicks);
        }
        else if (verdict.Kind == TokenVerdictKind.Refused && _options.UnknownTokens.InactiveTtl > TimeSpan.Zero)
        {
            entry = new CacheEntry(verdict, (now + _options.UnknownTokens.InactiveTtl).UtcTicks, long.MaxValue);
        }
        else
        {
            Remove(key);
            return;
        }

        if (Epoch != epochBefore || (Count >= _options.LocalCache.MaxEntries && !_entries.ContainsKey(key) && Sweep() >= _options.LocalCache.MaxEntries))
        {
            return;
        }

        _entries.AddOrUpdate(key, _ => { Interlocked.Increment(ref _count); return entry; }, (_, _) => entry);
        // A revocation that slipped in between the check and the write wins.
        if (Epoch != epochBefore)
        {
            Remove(key);
        }
    }

    public void Evict(TokenHash key)
    {
        Interlocked.Increment(ref _epoch);
        Remove(key);
    }

    /// <summary>Revocations are heard from now on.</summary>
    public void StartListening()
    {
        Clear();
        Interlocked.Exchange(ref _listeningSinceTicks, _time.GetUtcNow().UtcTicks);
        _listening = true;
    }

    /// <summary>Revocations may be missed from now on: forget everything and stop serving.</summary>
    public void StopListening()
    {
        _listening = false;
        Clear();
    }

    public void Dispose() => _sweeper.Dispose();

    /// <summary>Drops expired entries; returns how many are left.</summary>
    private int Sweep()
    {
        var now = _time.GetUtcNow().UtcTicks;
        foreach (var pair in _entries)
        {
            if (now >= pair.Value.UntilTicks && _entries.TryRemove(pair))
            {
                Interlocked.Decrement(ref _count);
            }
        }

        return Count;
    }

    private void Remove(TokenHash key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Clear()
    {
        Interlocked.Increment(ref _epoch);
        foreach (var key in _entries.Keys)
        {
            Remove(key);
        }
    }
}

/// <summary>One cached verdict: until when it holds, and when a confirmed one is asked about again.</summary>
internal sealed class CacheEntry(TokenVerdict verdict, long untilTicks, long refreshAtTicks)
{
    private long _refreshAtTicks = refreshAtTicks;
    private int _refreshing;

    public TokenVerdict Verdict { get; } = verdict;

    public long UntilTicks { get; } = untilTicks;

    /// <summary>True for exactly one caller once the refresh point has passed.</summary>
    public bool TryStartRefresh(DateTimeOffset now) =>
        now.UtcTicks >= Interlocked.Read(ref _refreshAtTicks) && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0;

    /// <summary>The refresh got no answer: try again halfway to the entry's end, not at every hit.</summary>
    public void RefreshFailed(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _refreshAtTicks, now.UtcTicks + ((UntilTicks - now.UtcTicks) / 2));
        Volatile.Write(ref _refreshing, 0);
    }
}
