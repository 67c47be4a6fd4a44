using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ResourceService.Caching;

/// <summary>
/// Tokens the AuthService confirmed, kept in process for a few seconds so that a known token costs a
/// hash and a dictionary lookup instead of an HTTP hop. Bounded in size (MemoryCache's size limit) and
/// in time (min of the TTL and the token's expiry). It serves only while <see cref="RevocationListener"/>
/// hears revocations; when the link drops it empties itself and steps aside until it is back.
/// </summary>
public sealed class LocalValidationCache : IDisposable
{
    private readonly LocalCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly MemoryCache _entries;
    private long _epoch;
    private volatile bool _listening;

    public LocalValidationCache(IOptions<LocalCacheOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.MaxEntries });
    }

    /// <summary>True when entries may be served: enabled, and revocations are being heard.</summary>
    public bool Active => _options.Enabled && _listening;

    /// <summary>Changes on every eviction: a validation that saw it change while in flight is not cached.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>The key the AuthService announces revocations by: <c>v1:tok:</c> + SHA-256 of the token.</summary>
    public static string KeyFor(string token) => $"v1:tok:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))}";

    public bool TryGet(string key, out ConfirmedCaller caller)
    {
        caller = null!;
        // The deadline is checked on this service's clock too, not only by MemoryCache's own expiry.
        if (!Active || !_entries.TryGetValue(key, out Entry? entry) || entry is null || _time.GetUtcNow() >= entry.Until)
        {
            return false;
        }

        caller = entry.Caller;
        return true;
    }

    /// <summary>Keeps <paramref name="caller"/> unless a revocation arrived since <paramref name="epochBefore"/>.</summary>
    public void Set(string key, ConfirmedCaller caller, long epochBefore)
    {
        if (!Active || caller.Result.ExpiresAt is not { } expiresAt)
        {
            return;
        }

        var untilExpiry = DateTimeOffset.FromUnixTimeSeconds(expiresAt) - _time.GetUtcNow();
        var ttl = untilExpiry < _options.Ttl ? untilExpiry : _options.Ttl;
        if (ttl <= TimeSpan.Zero || Epoch != epochBefore)
        {
            return;
        }

        _entries.Set(key, new Entry(caller, _time.GetUtcNow() + ttl), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl, Size = 1 });
        // A revocation that slipped in between the check and the write wins.
        if (Epoch != epochBefore)
        {
            _entries.Remove(key);
        }
    }

    public void Evict(string key)
    {
        Interlocked.Increment(ref _epoch);
        _entries.Remove(key);
    }

    /// <summary>Revocations are heard from now on.</summary>
    public void StartListening()
    {
        Clear();
        _listening = true;
    }

    /// <summary>Revocations may be missed from now on: forget everything and stop serving.</summary>
    public void StopListening()
    {
        _listening = false;
        Clear();
    }

    public void Dispose() => _entries.Dispose();

    private void Clear()
    {
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
    }

    private sealed record Entry(ConfirmedCaller Caller, DateTimeOffset Until);
}
