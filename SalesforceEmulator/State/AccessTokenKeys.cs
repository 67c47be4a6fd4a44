using System.Globalization;
using System.Security.Cryptography;
using SalesforceEmulator.Protocol;

namespace SalesforceEmulator.State;

/// <summary>An access-token signing key of one org.</summary>
public sealed record AccessTokenKey(string Kid, RSA Rsa);

/// <summary>
/// Each org's keys for JWT-based access tokens: the newest signs, the older ones stay published for tokens still live until a
/// rotation drops them. A key is made when the org first needs one. <c>kid</c> is <c>CORE_ATJWT.{org15}.{ms timestamp}</c>,
/// as in Salesforce's own token (Mobile SDK for Android, <c>JwtAccessTokenTest.java</c>); keys rotate each release, possibly
/// without notice [reported: salesforce.stackexchange.com question 374298], which the rotation hook stands in for.
/// </summary>
public sealed class AccessTokenKeys(TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<AccessTokenKey>> _keys = new(StringComparer.Ordinal);
    private long _lastStamp;

    /// <summary>The key that signs the org's new tokens.</summary>
    public AccessTokenKey Current(Org org)
    {
        ArgumentNullException.ThrowIfNull(org);
        lock (_lock)
        {
            return _keys.TryGetValue(org.Id18, out var keys) && keys.Count > 0 ? keys[^1] : AddKey(org);
        }
    }

    /// <summary>A new signing key for the org; with <paramref name="dropOlder"/> its older keys are no longer published.</summary>
    public AccessTokenKey Rotate(Org org, bool dropOlder)
    {
        ArgumentNullException.ThrowIfNull(org);
        lock (_lock)
        {
            var key = AddKey(org);
            if (dropOlder)
            {
                // Not disposed: a token being signed right now may still hold the old key; the GC releases it.
                _keys[org.Id18].RemoveAll(k => k != key);
            }

            return key;
        }
    }

    /// <summary>The public keys of the orgs, oldest first.</summary>
    public IReadOnlyList<JsonWebKey> Published(IEnumerable<Org> orgs)
    {
        ArgumentNullException.ThrowIfNull(orgs);
        lock (_lock)
        {
            return [.. orgs.SelectMany(org => _keys.TryGetValue(org.Id18, out var keys) ? keys : []).Select(k => Jws.PublicJwk(k.Rsa, k.Kid))];
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var key in _keys.Values.SelectMany(k => k))
            {
                key.Rsa.Dispose();
            }

            _keys.Clear();
        }
    }

    // Two keys made in the same millisecond (a fake clock, a quick rotation) still get different kids.
    private AccessTokenKey AddKey(Org org)
    {
        var stamp = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), _lastStamp + 1);
        _lastStamp = stamp;
        var key = new AccessTokenKey($"CORE_ATJWT.{org.Id15}.{stamp.ToString(CultureInfo.InvariantCulture)}", RSA.Create(2048));
        if (!_keys.TryGetValue(org.Id18, out var keys))
        {
            _keys[org.Id18] = keys = [];
        }

        keys.Add(key);
        return key;
    }
}
