using SalesforceEmulator.Protocol;

namespace SalesforceEmulator.State;

/// <summary>An issued authorization code and everything it is bound to.</summary>
public sealed record AuthorizationCode(
    TokenGrant Grant,
    string RedirectUri,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    DateTimeOffset ExpiresAt);

/// <summary>Authorization codes: single use, valid for 15 minutes.</summary>
public sealed class AuthorizationCodeStore(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);

    public string Issue(TokenGrant grant, string redirectUri, string? codeChallenge, string? codeChallengeMethod)
    {
        var code = TokenGenerator.NewAuthorizationCode();
        var record = new AuthorizationCode(grant, redirectUri, codeChallenge, codeChallengeMethod, time.GetUtcNow() + EmulatorDefaults.AuthorizationCodeLifetime);
        lock (_lock)
        {
            _codes[code] = record;
        }

        return code;
    }

    /// <summary>Removes the code and returns it if it had not expired: a code is consumed by its first presentation.</summary>
    public AuthorizationCode? Redeem(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        lock (_lock)
        {
            return _codes.Remove(code, out var record) && time.GetUtcNow() < record.ExpiresAt ? record : null;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _codes.Clear();
        }
    }
}
