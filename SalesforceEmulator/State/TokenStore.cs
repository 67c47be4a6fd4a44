using SalesforceEmulator.Protocol;

namespace SalesforceEmulator.State;

/// <summary>An issued access token and what it was issued for.</summary>
public sealed class AccessTokenRecord
{
    public required string Token { get; init; }
    public required string ClientId { get; init; }
    public required User User { get; init; }
    public required string Scope { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public required string LoginBase { get; init; }
    public required string InstanceUrl { get; init; }

    /// <summary>The refresh-token family it came with or from, so that revoking a refresh token ends its sessions.</summary>
    public string? Family { get; init; }

    /// <summary>False for a password-flow Session ID, which introspection never reports as active.</summary>
    public bool Introspectable { get; init; } = true;
    public bool Revoked { get; set; }
}

/// <summary>An issued refresh token.</summary>
public sealed class RefreshTokenRecord
{
    public required string Token { get; init; }
    public required string ClientId { get; init; }
    public required User User { get; init; }
    public required string Scope { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public required string LoginBase { get; init; }
    public required string InstanceUrl { get; init; }
    public required string Family { get; init; }
    public bool Revoked { get; set; }

    /// <summary>Set when rotation replaced this token; presenting it again is reuse.</summary>
    public bool Rotated { get; set; }
}

/// <summary>The outcome of presenting a refresh token.</summary>
public enum RefreshOutcome
{
    Accepted,
    Invalid,
    ReuseDetected,
}

/// <summary>Access and refresh tokens issued since start, with their expiry and revocation.</summary>
public sealed class TokenStore(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AccessTokenRecord> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenRecord> _refreshTokens = new(StringComparer.Ordinal);

    /// <summary>
    /// Issues an access token: an opaque one, or the one <paramref name="mint"/> makes from its issue and expiry times (a JWT).
    /// Either way the token's record decides whether it is live, so revocation and expiry apply to both.
    /// </summary>
    public AccessTokenRecord IssueAccessToken(TokenGrant grant, TimeSpan lifetime, string? family, bool introspectable = true, Func<DateTimeOffset, DateTimeOffset, string>? mint = null)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var now = time.GetUtcNow();
        var record = new AccessTokenRecord
        {
            Token = mint?.Invoke(now, now + lifetime) ?? TokenGenerator.NewAccessToken(grant.User.Org.Id15),
            Introspectable = introspectable,
            ClientId = grant.ClientId,
            User = grant.User,
            Scope = grant.Scope,
            IssuedAt = now,
            ExpiresAt = now + lifetime,
            LoginBase = grant.LoginBase,
            InstanceUrl = grant.InstanceUrl,
            Family = family,
        };
        lock (_lock)
        {
            _accessTokens[record.Token] = record;
        }

        return record;
    }

    public RefreshTokenRecord IssueRefreshToken(TokenGrant grant, TimeSpan lifetime, string? family)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var now = time.GetUtcNow();
        var token = TokenGenerator.NewRefreshToken();
        var record = new RefreshTokenRecord
        {
            Token = token,
            ClientId = grant.ClientId,
            User = grant.User,
            Scope = grant.Scope,
            IssuedAt = now,
            ExpiresAt = now + lifetime,
            LoginBase = grant.LoginBase,
            InstanceUrl = grant.InstanceUrl,
            Family = family ?? Guid.NewGuid().ToString("N"),
        };
        lock (_lock)
        {
            _refreshTokens[token] = record;
        }

        return record;
    }

    /// <summary>The access token when it exists, is not revoked and has not expired.</summary>
    public AccessTokenRecord? FindActiveAccessToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        lock (_lock)
        {
            return _accessTokens.TryGetValue(token, out var record) && IsActive(record) ? record : null;
        }
    }

    /// <summary>The refresh token when it exists, is not revoked or rotated away, has not expired, and its user and org are active.</summary>
    public RefreshTokenRecord? FindActiveRefreshToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        lock (_lock)
        {
            return _refreshTokens.TryGetValue(token, out var record) && IsActive(record) && record.User.Active && record.User.Org.Active ? record : null;
        }
    }

    /// <summary>
    /// Checks a refresh token presented by <paramref name="clientId"/>. With <paramref name="rotate"/>, the token is
    /// marked rotated; presenting a rotated token again revokes its whole family (Salesforce's reuse detection).
    /// </summary>
    public (RefreshOutcome Outcome, RefreshTokenRecord? Record) UseRefreshToken(string? token, string clientId, bool rotate)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (RefreshOutcome.Invalid, null);
        }

        lock (_lock)
        {
            if (!_refreshTokens.TryGetValue(token, out var record) || record.ClientId != clientId)
            {
                return (RefreshOutcome.Invalid, null);
            }

            if (record.Rotated && !record.Revoked)
            {
                RevokeFamily(record.Family);
                return (RefreshOutcome.ReuseDetected, null);
            }

            if (!IsActive(record))
            {
                return (RefreshOutcome.Invalid, null);
            }

            if (rotate)
            {
                record.Rotated = true;
            }

            return (RefreshOutcome.Accepted, record);
        }
    }

    /// <summary>Revokes an access token, or a refresh token with every token of its family. False when unknown.</summary>
    public bool Revoke(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (_lock)
        {
            if (_accessTokens.TryGetValue(token, out var access))
            {
                access.Revoked = true;
                return true;
            }

            if (_refreshTokens.TryGetValue(token, out var refresh))
            {
                RevokeFamily(refresh.Family);
                return true;
            }

            return false;
        }
    }

    /// <summary>Makes the access tokens (and optionally refresh tokens) of one user, or of everyone, expire now.</summary>
    public int Expire(User? user, bool includeRefreshTokens)
    {
        var now = time.GetUtcNow();
        var count = 0;
        lock (_lock)
        {
            foreach (var record in _accessTokens.Values.Where(r => (user is null || r.User.Id18 == user.Id18) && IsActive(r)))
            {
                record.ExpiresAt = now;
                count++;
            }

            if (includeRefreshTokens)
            {
                foreach (var record in _refreshTokens.Values.Where(r => (user is null || r.User.Id18 == user.Id18) && IsActive(r)))
                {
                    record.ExpiresAt = now;
                    count++;
                }
            }
        }

        return count;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _accessTokens.Clear();
            _refreshTokens.Clear();
        }
    }

    private void RevokeFamily(string family)
    {
        foreach (var record in _refreshTokens.Values.Where(r => r.Family == family))
        {
            record.Revoked = true;
        }

        foreach (var record in _accessTokens.Values.Where(r => r.Family == family))
        {
            record.Revoked = true;
        }
    }

    // A deactivated user's or locked org's sessions end with it [unverified: assumed from Salesforce's "sessions are ended" on deactivation].
    private bool IsActive(AccessTokenRecord record) =>
        !record.Revoked && time.GetUtcNow() < record.ExpiresAt && record.User.Active && record.User.Org.Active;

    private bool IsActive(RefreshTokenRecord record) => !record.Revoked && !record.Rotated && time.GetUtcNow() < record.ExpiresAt;
}

/// <summary>Who a token is for and where it was issued: what every token of a grant shares.</summary>
public sealed record TokenGrant(string ClientId, User User, string Scope, string LoginBase, string InstanceUrl, string? Nonce = null, Site? Site = null);
