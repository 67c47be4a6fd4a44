using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore.Caching;

/// <summary>
/// The tokens revoked through the AuthService, as heard on Redis, kept until they expire. Evicting a cache entry is not
/// enough for a JWT-based access token: the next request would check its signature again and accept it, so this instance
/// must remember the refusal for as long as the token could otherwise pass.
/// </summary>
internal sealed class RevokedTokens : IDisposable
{
    /// <summary>Past this many, in-process checks stop (the AuthService is asked) until older entries expire.</summary>
    public const int Capacity = 1_000_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly RevokedTokenSet _revoked;
    private readonly ITimer _sweeper;

    public RevokedTokens(TimeProvider time)
    {
        _revoked = new RevokedTokenSet(time);
        _sweeper = time.CreateTimer(_ => _revoked.Prune(), null, SweepInterval, SweepInterval);
    }

    /// <summary>True when no more revocations can be kept: nothing may then be trusted without the AuthService.</summary>
    public bool IsFull => _revoked.Count >= Capacity && _revoked.Prune() >= Capacity;

    /// <summary>Remembers a revocation until <paramref name="expiresAt"/>, or for Salesforce's longest session when that is unknown.</summary>
    public void Add(TokenHash token, DateTimeOffset? expiresAt) => _revoked.Add(token, expiresAt);

    public bool Contains(TokenHash token) => _revoked.Contains(token);

    /// <summary>Whether <paramref name="token"/> was revoked; hashed only when anything was (revocations are rare).</summary>
    public bool Contains(string token) => !_revoked.IsEmpty && Contains(TokenHash.Of(token));

    public void Dispose() => _sweeper.Dispose();
}
