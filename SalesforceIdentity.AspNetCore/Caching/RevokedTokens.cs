using System.Collections.Concurrent;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.Caching;

/// <summary>
/// The tokens revoked through the AuthService, as heard on Redis, kept until they expire. Evicting a cache entry is not
/// enough for a JWT-based access token: the next request would check its signature again and accept it, so this instance
/// must remember the refusal for as long as the token could otherwise pass.
/// </summary>
internal sealed class RevokedTokens : IDisposable
{
    /// <summary>Salesforce's longest session timeout (24 h): no access token outlives it.</summary>
    public static readonly TimeSpan LongestTokenLife = TimeSpan.FromHours(24);

    /// <summary>Past this many, in-process checks stop (the AuthService is asked) until older entries expire.</summary>
    public const int Capacity = 1_000_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<TokenHash, long> _untilTicks = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;

    public RevokedTokens(TimeProvider time)
    {
        _time = time;
        _sweeper = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    /// <summary>True when no more revocations can be kept: nothing may then be trusted without the AuthService.</summary>
    public bool IsFull => _untilTicks.Count >= Capacity && Sweep() >= Capacity;

    /// <summary>Remembers a revocation until <paramref name="expiresAt"/>, or for <see cref="LongestTokenLife"/> when that is unknown.</summary>
    public void Add(TokenHash token, DateTimeOffset? expiresAt)
    {
        var now = _time.GetUtcNow();
        var until = expiresAt is { } known && known < now + LongestTokenLife ? known : now + LongestTokenLife;
        _untilTicks[token] = until.UtcTicks;
    }

    public bool Contains(TokenHash token) =>
        _untilTicks.TryGetValue(token, out var until) && _time.GetUtcNow().UtcTicks < until;

    /// <summary>Whether <paramref name="token"/> was revoked; hashed only when anything was (revocations are rare).</summary>
    public bool Contains(string token) => !_untilTicks.IsEmpty && Contains(TokenHash.Of(token));

    public void Dispose() => _sweeper.Dispose();

    private int Sweep()
    {
        var now = _time.GetUtcNow().UtcTicks;
        foreach (var pair in _untilTicks)
        {
            if (now >= pair.Value)
            {
                _untilTicks.TryRemove(pair);
            }
        }

        return _untilTicks.Count;
    }
}
